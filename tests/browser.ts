// How tests and benchmarks drive Debian's Chromium (browser downloads are impossible on these machines).
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps dialling out of this machine's closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium's fake camera, playing `video` (a Y4M file) in a loop, with camera permission prompts answered. */
export function fakeCameraArgs(video: string): string[] {
  return [
    ...CHROMIUM_ARGS,
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ];
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}
