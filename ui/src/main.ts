import { mount } from 'svelte';
import App from './App.svelte';
import { createApi } from './lib/api.ts';
import { I18n } from './lib/i18n.svelte.ts';
import { Session } from './lib/session.svelte.ts';
import './styles.css';

const api = createApi({ baseUrl: location.origin });
const i18n = new I18n(localStorage);
const session = new Session(api, sessionStorage);

function download(name: string, text: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

await session.resume();
if (session.user) i18n.useFor(session.user.id);
mount(App, { target: document.getElementById('app')!, props: { api, i18n, session, download } });
