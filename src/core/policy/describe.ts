// Renders the enforced policy as plain-language sections: the same document drives the code and the page
// users read, so the two cannot drift apart.
import { STATUTORY_PROHIBITED_TERMS, type AgencyPolicy } from './document';

export interface PolicySection {
  title: string;
  lines: string[];
}

const days = (n: number): string =>
  n % 365 === 0 ? `${n / 365} year${n === 365 ? '' : 's'}` : `${n} day${n === 1 ? '' : 's'}`;

export function describePolicy(p: AgencyPolicy): PolicySection[] {
  return [
    {
      title: `Policy revision ${p.revision}`,
      lines: [
        `In effect from ${p.effectiveFrom}; last reviewed ${p.reviewedOn}; reviewed at least every ${days(p.reviewIntervalDays)}.`,
      ],
    },
    {
      title: 'Access',
      lines: [
        `Sign-in with an individual password of at least ${p.signIn.minPasswordLength} characters and a second factor.`,
        `The account locks after ${p.signIn.maxFailedAttempts} failed attempts until an administrator unlocks it.`,
        `The screen locks after ${p.signIn.idleLockMinutes} minutes without use.`,
        `Training is required before first use and every ${days(p.training.intervalDays)}; the current policy must be acknowledged.`,
        `Accounts unused for ${days(p.accounts.inactivitySuspendDays)} are suspended; authorizations are reviewed every ${days(p.accounts.approvalReviewDays)}.`,
      ],
    },
    {
      title: 'Purpose of every search',
      lines: [
        `Each look at stored data states a category and a specific reference (case or incident number, or a suspect's last name) of at least ${p.purpose.minReferenceLength} characters.`,
        `Categories: ${p.purpose.categories.map((c) => c.label).join('; ')}.`,
        `Never for: ${[...STATUTORY_PROHIBITED_TERMS, ...p.purpose.prohibitedTerms].map((t) => t.replaceAll('*', '…')).join(', ')}.`,
      ],
    },
    {
      title: 'Retention',
      lines: [
        `Reads that matched no hot list: ${days(p.retention.nonHitReadDays)}.`,
        `Reads that produced a hit: ${days(p.retention.hitReadDays)}.`,
        `Reads linked to an investigation: ${days(p.retention.investigationLinkedDays)}.`,
        `Downloaded, printed or shared copies: destroyed within ${days(p.retention.sharedCopyDays)}.`,
        `Access log: ${days(p.retention.accessLogDays)}; audit records: ${days(p.retention.auditRecordDays)}.`,
        'Data that is or may become evidence is exported and booked into evidence instead of purged.',
      ],
    },
    {
      title: 'Hot lists',
      lines: [
        `General lists are refreshed at least every ${p.hotLists.refreshIntervalHours} hours; an older list is shown as stale.`,
        `Locally entered plates need administrator approval and expire within ${days(p.hotLists.localEntryMaxDays)}.`,
        'An alert alone is never grounds for a stop: the officer verifies the plate visually and confirms through dispatch/CLETS.',
      ],
    },
    {
      title: 'Sharing',
      lines: [
        p.sharing.allowedRecipientKinds.length === 0
          ? 'Data is not shared with any other agency.'
          : `Only with California public agencies (${p.sharing.allowedRecipientKinds.join(', ')}), on a written request approved by the ALPR Administrator.`,
        'Never with federal or out-of-state agencies, never for immigration enforcement, never with private parties, never sold.',
        `Recipients destroy shared data within ${days(p.sharing.recipientRetentionDays)}.`,
      ],
    },
    {
      title: 'Audits',
      lines: [
        `Every ${days(p.audit.intervalDays)}, a sample of ${p.audit.sampleSize} searches is checked against its stated purpose.`,
      ],
    },
  ];
}
