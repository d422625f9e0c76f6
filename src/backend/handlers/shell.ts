// Handlers the application shell needs: app status, storage status, device settings, the policy in force.
import { describePolicy, type AgencyPolicy, type PolicySection } from '../../core/policy';
import { parseSettingsPatch, SettingsError, type DeviceSettings } from '../../core/settings';
import { SCHEMA_VERSION } from '../../store/db';
import { currentPolicy, readDeviceSettings, updateDeviceSettings } from '../../store/device';
import type { StorageStatus } from '../../store/health';
import type { BackendContext } from '../context';
import { BadInputError, noInput, type HandlerDef } from '../registry';

export interface AppStatus {
  version: string;
  buildId: string;
  schemaVersion: number;
  deviceId: string;
  installedAt: number;
  startedAt: number;
  policyRevision: number;
  crossOriginIsolated: boolean;
  handlers: string[];
}

const status: HandlerDef<Record<string, never>, AppStatus, BackendContext> = {
  access: 'public',
  parse: noInput,
  async run(ctx) {
    const policy = await currentPolicy(ctx.db);
    return {
      version: __APP_VERSION__,
      buildId: __BUILD_ID__,
      schemaVersion: SCHEMA_VERSION,
      deviceId: ctx.device.deviceId,
      installedAt: ctx.device.installedAt,
      startedAt: ctx.startedAt,
      policyRevision: policy.revision,
      crossOriginIsolated: ctx.crossOriginIsolated,
      handlers: ctx.handlerNames(),
    };
  },
};

const storageStatus: HandlerDef<Record<string, never>, StorageStatus, BackendContext> = {
  access: 'public',
  parse: noInput,
  run: (ctx) => ctx.health.status(),
};

const settingsGet: HandlerDef<Record<string, never>, DeviceSettings, BackendContext> = {
  access: 'public',
  parse: noInput,
  run: (ctx) => readDeviceSettings(ctx.db),
};

const settingsUpdate: HandlerDef<Partial<DeviceSettings>, DeviceSettings, BackendContext> = {
  access: 'public',
  parse(input) {
    try {
      return parseSettingsPatch(input);
    } catch (e) {
      if (e instanceof SettingsError) throw new BadInputError(e.message);
      throw e;
    }
  },
  run: (ctx, patch) => updateDeviceSettings(ctx.db, ctx.health, patch, ctx.now()),
};

export interface PolicyView {
  policy: AgencyPolicy;
  sections: PolicySection[];
}

const policyGet: HandlerDef<Record<string, never>, PolicyView, BackendContext> = {
  access: 'public',
  parse: noInput,
  async run(ctx) {
    const policy = await currentPolicy(ctx.db);
    return { policy, sections: describePolicy(policy) };
  },
};

export const shellHandlers = {
  'app.status': status,
  'storage.status': storageStatus,
  'settings.get': settingsGet,
  'settings.update': settingsUpdate,
  'policy.get': policyGet,
};
