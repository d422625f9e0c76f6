import { mount } from 'svelte';
import App from './ui/App.svelte';
import { startBackend } from './ui/backend';
import { AuthState } from './ui/state/auth.svelte';
import { CaptureState } from './ui/state/capture.svelte';
import { HitsState } from './ui/state/hits.svelte';
import { RecognitionState } from './ui/state/recognition.svelte';
import { ShellState } from './ui/state/shell.svelte';
import { UpdateState } from './ui/state/updates.svelte';
import './ui/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks the #app element');

const backend = startBackend();
const auth = new AuthState(backend);
const recognition = new RecognitionState();
const hits = new HitsState(auth);
mount(App, {
  target,
  props: {
    shell: new ShellState(backend),
    updates: new UpdateState(),
    auth,
    recognition,
    hits,
    capture: new CaptureState(auth, recognition, hits),
  },
});
