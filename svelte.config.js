// Svelte compiler options shared by Vite and svelte-check. Svelte 5 strips TypeScript types itself.
export default {
  compilerOptions: { runes: true },
};
