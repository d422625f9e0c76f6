// Build-time constants injected by vite.config.ts (`define`), visible in every runtime.
declare const __APP_VERSION__: string;
declare const __BUILD_ID__: string;
