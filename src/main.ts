import { mount } from 'svelte';
import App from './ui/App.svelte';
import { startBackend } from './ui/backend';
import { ShellState } from './ui/state/shell.svelte';
import { UpdateState } from './ui/state/updates.svelte';
import './ui/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks the #app element');

mount(App, { target, props: { shell: new ShellState(startBackend()), updates: new UpdateState() } });
