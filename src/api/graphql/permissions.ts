import type { Role } from '../../domain/identity/events.ts';

const ADMIN: Role[] = ['admin'];
const SUPERVISORS: Role[] = ['team_leader', 'supervisor', 'admin'];
const MANAGERS: Role[] = ['supervisor', 'admin'];
const FLOOR: Role[] = ['agent', 'team_leader', 'supervisor', 'admin'];
const READ_ALL: Role[] = ['agent', 'team_leader', 'supervisor', 'qa', 'admin', 'auditor'];

/**
 * Which roles may call which root fields. Root fields not listed are open to every signed-in role and
 * scoped inside their resolvers. The auditor appears on no mutation: it reads and replays only.
 */
export const PERMISSIONS: Record<string, readonly Role[]> = {
  'Query.users': ['team_leader', 'supervisor', 'qa', 'admin', 'auditor'],
  'Query.verify': READ_ALL.filter((r) => r !== 'agent'),
  'Query.evidenceBundle': ['supervisor', 'admin', 'auditor'],
  'Query.agentRanking': ['team_leader', 'supervisor', 'qa', 'admin', 'auditor'],
  'Query.qaQueue': ['qa', 'supervisor', 'admin'],
  'Query.importJobs': ['supervisor', 'admin', 'auditor'],
  'Query.nextPreviewLead': FLOOR,
  'Query.blacklist': ['supervisor', 'admin', 'auditor'],
  'Mutation.blacklistNumber': MANAGERS,
  'Mutation.unblacklistNumber': ADMIN,
  'Query.inboundRoutes': MANAGERS,
  'Query.products': READ_ALL,
  'Query.questionnaires': READ_ALL,
  'Mutation.publishInboundRoutes': ADMIN,

  'Mutation.logout': READ_ALL,
  'Mutation.changePassword': ['agent', 'team_leader', 'supervisor', 'qa', 'admin'],
  'Mutation.createUser': ADMIN,
  'Mutation.changeUserRole': ADMIN,
  'Mutation.moveUser': ADMIN,
  'Mutation.resetPassword': ADMIN,
  'Mutation.disableUser': ADMIN,
  'Mutation.enableUser': ADMIN,
  'Mutation.createDepartment': ADMIN,
  'Mutation.renameDepartment': ADMIN,
  'Mutation.createTeam': ADMIN,
  'Mutation.setTeamLeader': ADMIN,

  'Mutation.createLead': FLOOR,
  'Mutation.claimLead': FLOOR,
  'Mutation.releaseLead': FLOOR,
  'Mutation.assignLead': SUPERVISORS,
  'Mutation.updateLead': FLOOR,
  'Mutation.addToDnc': FLOOR,
  'Mutation.removeFromDnc': MANAGERS,

  'Mutation.dial': FLOOR,
  'Mutation.hangUp': FLOOR,
  'Mutation.hold': FLOOR,
  'Mutation.unhold': FLOOR,
  'Mutation.transfer': FLOOR,
  'Mutation.setDisposition': FLOOR,
  'Mutation.scheduleCallback': FLOOR,
  'Mutation.cancelCallback': FLOOR,
  'Mutation.completeCallback': FLOOR,
  'Mutation.monitorCall': MANAGERS,
  'Mutation.stopMonitoring': MANAGERS,
  'Mutation.forceHangUp': MANAGERS,
  'Mutation.forceTransfer': MANAGERS,

  'Mutation.agentLogin': FLOOR,
  'Mutation.agentLogout': FLOOR,
  'Mutation.setAgentAvailable': FLOOR,
  'Mutation.pauseAgent': FLOOR,
  'Mutation.finishWrapUp': FLOOR,
  'Mutation.answerCall': FLOOR,
  'Mutation.submitAnswers': FLOOR,
  'Query.orderPoints': FLOOR,
  'Mutation.forceAgentState': SUPERVISORS,

  'Mutation.createCampaign': MANAGERS,
  'Mutation.updateCampaign': MANAGERS,
  'Mutation.startCampaign': MANAGERS,
  'Mutation.pauseCampaign': SUPERVISORS,
  'Mutation.stopCampaign': MANAGERS,
  'Mutation.createQueue': MANAGERS,
  'Mutation.updateQueue': MANAGERS,
  'Mutation.setAgentSkills': MANAGERS,
  'Mutation.setIvrMenu': MANAGERS,
  'Mutation.removeIvrMenu': MANAGERS,

  'Mutation.placeOrder': FLOOR,
  'Mutation.approveOrder': MANAGERS,
  'Mutation.rejectOrder': MANAGERS,
  'Mutation.cancelOrder': FLOOR, // the agent who took it, before approval; the decider checks who
  'Mutation.recordPayment': MANAGERS,
  'Mutation.recordRefund': MANAGERS,
  'Mutation.scoreCall': ['qa', 'supervisor', 'admin'],
  'Mutation.annotateRecording': ['qa', 'team_leader', 'supervisor', 'admin'],
  'Mutation.removeAnnotation': ['qa', 'team_leader', 'supervisor', 'admin'],

  'Mutation.retryImport': MANAGERS,
  'Mutation.importMissedCalls': MANAGERS,

  'Subscription.events': ['admin', 'auditor'],
  'Subscription.wallboard': ['team_leader', 'supervisor', 'qa', 'admin', 'auditor'],
  'Query.wallboard': ['team_leader', 'supervisor', 'qa', 'admin', 'auditor'],
  'Subscription.queueState': ['team_leader', 'supervisor', 'qa', 'admin', 'auditor'],
  'Subscription.campaignProgress': ['team_leader', 'supervisor', 'admin', 'auditor'],
  'Subscription.importProgress': ['supervisor', 'admin', 'auditor'],
};
