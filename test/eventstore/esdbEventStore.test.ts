import { describe } from 'vitest';
import { EsdbEventStore } from '../../src/eventstore/esdb/esdbEventStore.ts';
import { eventStoreContract } from './contract.ts';

/*
 * The shared contract against a real EventStoreDB / KurrentDB server, when EVENTSTORE_URL names one
 * (e.g. esdb://localhost:2113?tls=false). Without it the suite is skipped and says so: the in-process
 * stand-in of esdbWireMapping.test.ts is no evidence of server compatibility.
 */
const url = process.env.EVENTSTORE_URL;
if (!url) console.log('SKIPPED: no EventStoreDB reachable (set EVENTSTORE_URL to run the contract against a real server)');

describe.skipIf(!url)('EventStoreDB server', () => {
  eventStoreContract('esdb (real server)', () => EsdbEventStore.connect(url!));
});
