// The typed surface the UI sees: handler names, their inputs and outputs. Types only; no worker code.
import type { BackendHandlers } from './handlers';
import type { Envelope, InputOf, OutputOf } from './registry';

export type HandlerName = keyof BackendHandlers & string;
export type HandlerInput<K extends HandlerName> = InputOf<BackendHandlers[K]>;
export type HandlerOutput<K extends HandlerName> = OutputOf<BackendHandlers[K]>;

/** What the worker exposes through comlink. */
export interface BackendRemote {
  call(name: string, input: unknown): Promise<Envelope<unknown>>;
}

export type { ErrorCode } from './registry';
export type { AppStatus, PolicyView } from './handlers/shell';
export type {
  KeyChallenge,
  KeyRegistrationOptions,
  SetupInput,
  SetupStatus,
  TotpEnrolment,
} from './handlers/auth';
export type { UserView } from './handlers/users';
export type { HotListView, ImportInput, ImportResult } from './handlers/hotlists';
export type { AuditExport, AuditFilter } from './handlers/audit';
export type { AddReadInput, AddReadResult, CameraInfo, CaptureStatus, StopResult } from './handlers/capture';
export type { CameraErrorRate, HitDetail, HitList } from './handlers/hits';
export type { ReadDetail } from './handlers/reads';
export type { HitAlert } from './hits';
export type { HitView, HitMatch } from '../store/hits';
export type { HitStep, Outcome, RecordedStep, HitState } from '../core/hotlist/verification';
export type { SessionSummary } from './session';
export type { OpenedEntry } from '../store/accessLog';
export type { VerifyResult } from '../core/audit/chain';
export type { PurposeInput } from '../core/security/purpose';
export type { Blocker } from '../core/security/access';
export type { StorageStatus } from '../store/health';
