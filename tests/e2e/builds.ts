// The production builds the end-to-end tests serve. global-setup makes them; fixtures and tests read them.
import { resolve } from 'node:path';

export const BUILD_DIR = resolve('dist-e2e');
/** A second build of the same code with another BUILD_ID: "a new version deployed". */
export const NEXT_BUILD_DIR = resolve('dist-e2e-next');
export const BUILD_ID = 'e2e-build-1';
export const NEXT_BUILD_ID = 'e2e-build-2';
/** The store-layer harness page (tests/e2e/harness). */
export const HARNESS_DIR = resolve('dist-e2e-harness');
/** The fake camera's video (tests/fixtures/video.ts), written by global-setup. */
export const FIXTURE_CAMERA = resolve('dist-e2e-fixtures/camera.y4m');
export const FIXTURE_VIDEO = { width: 640, height: 360, fps: 10 };
/** The same video as a WebM clip, for processing a video file. */
export const FIXTURE_CLIP = resolve('dist-e2e-fixtures/clip.webm');
