// The only host APIs the domain core may use, declared here because the core compiles without DOM or worker libs.
// Both browsers (page, worker) and Node 20 provide them as globals.
declare const crypto: {
  getRandomValues<T extends Uint8Array | Uint16Array | Uint32Array>(array: T): T;
};
