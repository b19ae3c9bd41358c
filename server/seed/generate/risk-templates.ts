import type { Risk } from '../../../shared/schema/index.ts';
import type { DeviceKind } from './context.ts';

export interface RiskTemplate {
  readonly title: string;
  readonly description: string;
  readonly category: Risk['category'];
  /** Device kinds the risk is about, for links. */
  readonly kinds: readonly DeviceKind[];
  readonly mitigations: readonly string[];
  /** What insurance, a vendor or a contract could carry if the risk is transferred. */
  readonly transfer?: string;
}

export const RISK_TEMPLATES: readonly RiskTemplate[] = [
  {
    title: 'Windows 10 end of support on back-office PCs',
    description: 'Windows 10 stopped receiving security updates in October 2025. Unpatched PCs that handle card data breach PCI DSS requirement 6.3.3.',
    category: 'security', kinds: ['workstation', 'pos'],
    mitigations: ['Upgrade eligible PCs to Windows 11', 'Buy Extended Security Updates for the remaining POS lanes', 'Replace PCs that fail the Windows 11 hardware check'],
  },
  {
    title: 'Single internet circuit at branch sites',
    description: 'Branches without failover cannot take card payments or reach the stock system during an ISP outage.',
    category: 'availability', kinds: ['router'],
    mitigations: ['Install LTE failover routers at the busiest branches', 'Negotiate a 4-hour fix SLA with the ISP', 'Document offline card approval limits for staff'],
    transfer: 'Business-interruption cover for lost trading during ISP outages',
  },
  {
    title: 'Ransomware via phishing e-mail',
    description: 'A single click on a malicious attachment could encrypt file shares and halt operations for days.',
    category: 'security', kinds: ['workstation', 'laptop', 'server'],
    mitigations: ['Enable attack surface reduction rules', 'Run quarterly phishing simulations', 'Keep immutable offsite backups and test a restore each quarter'],
    transfer: 'Cyber insurance policy covering incident response and extortion',
  },
  {
    title: 'Backups not tested for restore',
    description: 'Backup jobs report success but no full restore has been tested in the past year.',
    category: 'data', kinds: ['server'],
    mitigations: ['Schedule a quarterly restore test', 'Alert on backup jobs older than 26 hours', 'Document the restore runbook'],
  },
  {
    title: 'Ageing UPS batteries in comms cabinets',
    description: 'UPS batteries older than four years may not carry the network through a short power cut.',
    category: 'hardware', kinds: ['other', 'switch'],
    mitigations: ['Replace batteries older than four years', 'Enable monthly self-tests and alert on failures'],
  },
  {
    title: 'Shared local admin password',
    description: 'Older devices share one local administrator password; one leak exposes all of them.',
    category: 'security', kinds: ['workstation', 'pos', 'laptop'],
    mitigations: ['Roll out Windows LAPS to all endpoints', 'Rotate the shared password now', 'Alert on local admin sign-ins'],
  },
  {
    title: 'POS vendor support contract lapses',
    description: 'The hardware support contract for POS terminals ends this year; without it, replacement lead time grows from next day to weeks.',
    category: 'vendor', kinds: ['pos'],
    mitigations: ['Renew the support contract for two years', 'Keep two spare terminals per region'],
    transfer: 'Extended warranty with next-business-day replacement',
  },
  {
    title: 'Key-person dependency on the network engineer',
    description: 'Only one person knows the firewall and SD-WAN configuration.',
    category: 'people', kinds: ['firewall', 'router'],
    mitigations: ['Document the network design', 'Cross-train a second technician', 'Keep configuration backups in the shared repository'],
    transfer: 'Retainer with the MSP for network emergencies',
  },
  {
    title: 'Unencrypted laptops',
    description: 'Some laptops have BitLocker or FileVault off; a lost laptop would expose customer and staff data.',
    category: 'data', kinds: ['laptop'],
    mitigations: ['Enforce disk encryption via Intune compliance', 'Block non-compliant laptops from e-mail'],
  },
  {
    title: 'Comms cabinet without access control',
    description: 'The network cabinet is in an unlocked stock room that delivery drivers pass through.',
    category: 'physical', kinds: ['switch', 'router', 'firewall'],
    mitigations: ['Fit a lock and keep the key at the service desk', 'Add a camera covering the cabinet'],
  },
  {
    title: 'Patient data on shared clinic workstations',
    description: 'Clinicians stay signed in on shared workstations between patients, so records can be seen by the next user.',
    category: 'compliance', kinds: ['workstation', 'tablet'],
    mitigations: ['Configure tap-and-go badge sign-in', 'Lock screens after 2 minutes idle', 'Audit record access monthly'],
  },
  {
    title: 'Firewall firmware behind on security fixes',
    description: 'Several site firewalls run firmware with published critical vulnerabilities.',
    category: 'security', kinds: ['firewall'],
    mitigations: ['Upgrade to the vendor\'s recommended release', 'Subscribe to the vendor PSIRT feed', 'Disable management access from the WAN'],
  },
  {
    title: 'Label printer single point of failure at packing',
    description: 'Each packing station depends on one label printer; a failure stops outbound shipping at that station.',
    category: 'availability', kinds: ['printer'],
    mitigations: ['Keep one spare printer per site', 'Train packers to re-route jobs to a neighbouring station'],
  },
  {
    title: 'CCTV retention below policy',
    description: 'Recorders overwrite footage after 14 days; policy and insurer require 30.',
    category: 'compliance', kinds: ['camera'],
    mitigations: ['Expand recorder storage', 'Lower the bit rate on low-priority cameras'],
  },
  {
    title: 'Handheld scanners near end of life',
    description: 'Android 11 handhelds no longer receive security updates from the vendor.',
    category: 'hardware', kinds: ['other', 'tablet'],
    mitigations: ['Budget a replacement in next year\'s plan', 'Restrict the handhelds to the warehouse VLAN'],
  },
  {
    title: 'Server room cooling failure',
    description: 'A single air-conditioning unit cools the server room; a failure in summer would overheat servers within an hour.',
    category: 'physical', kinds: ['server'],
    mitigations: ['Add temperature alerting', 'Install a secondary cooling unit', 'Document an emergency shutdown order'],
    transfer: 'Maintenance contract with 4-hour response for the cooling unit',
  },
  {
    title: 'Guest Wi-Fi not isolated from the corporate network',
    description: 'At some sites the guest SSID shares a VLAN with POS and back-office devices.',
    category: 'security', kinds: ['access-point', 'switch'],
    mitigations: ['Move guest Wi-Fi to its own VLAN', 'Add a client-isolation policy', 'Pen-test the segmentation yearly'],
  },
  {
    title: 'Payment terminal PIN pads tampering',
    description: 'Skimmer overlays on unattended PIN pads could capture customer card data.',
    category: 'security', kinds: ['pos'],
    mitigations: ['Daily tamper inspection checklist at opening', 'Seal the PIN pads with serialised tamper tape'],
  },
  {
    title: 'Staff turnover loses runbook knowledge',
    description: 'High seasonal turnover means new staff do not know the basic recovery steps.',
    category: 'people', kinds: ['pos', 'printer'],
    mitigations: ['Approve staff runbooks for the top five issues', 'Include runbook practice in onboarding'],
  },
  {
    title: 'Cloud stock system outage',
    description: 'Stores depend on the vendor\'s cloud stock system; an outage stops stock look-ups and transfers.',
    category: 'vendor', kinds: ['tablet', 'workstation'],
    mitigations: ['Confirm the vendor\'s SLA and status page', 'Enable the offline stock cache on handhelds'],
    transfer: 'SLA credits in the vendor contract',
  },
  {
    title: 'Clock drift breaks certificate validation',
    description: 'Endpoints with drifting clocks fail TLS checks and Kerberos sign-ins.',
    category: 'availability', kinds: ['workstation', 'pos'],
    mitigations: ['Point all devices at the internal NTP source', 'Alert on clock skew above 60 seconds'],
  },
  {
    title: 'Unmanaged IoT devices on the corporate VLAN',
    description: 'Cameras, door controllers and UPS cards share the corporate VLAN and run unpatched firmware.',
    category: 'security', kinds: ['camera', 'other'],
    mitigations: ['Move IoT devices to a dedicated VLAN', 'Inventory firmware versions quarterly'],
  },
  {
    title: 'Water damage risk to basement equipment',
    description: 'Network equipment sits in a basement that flooded in the past.',
    category: 'physical', kinds: ['switch', 'router'],
    mitigations: ['Raise the rack off the floor', 'Install a water sensor with alerting'],
    transfer: 'Property insurance rider covering IT equipment',
  },
  {
    title: 'Lost or stolen phones with company e-mail',
    description: 'Phones without a passcode policy expose e-mail and MFA apps if lost.',
    category: 'data', kinds: ['phone', 'tablet'],
    mitigations: ['Enforce a passcode and encryption via MDM', 'Enable remote wipe for all enrolled phones'],
  },
];

export const DECISION_TEXTS: Readonly<Record<Risk['treatment'], readonly string[]>> = {
  mitigate: ['Approved budget for the mitigation plan.', 'Mitigation plan agreed at the monthly risk review.', 'Owner assigned; first action due this quarter.'],
  accept: ['Accepted until the hardware refresh replaces the affected devices.', 'Accepted: cost of mitigation exceeds the expected loss.', 'Accepted for this trading season; revisit after peak.'],
  transfer: ['Transferred to the insurer under the current policy.', 'Transferred to the vendor under the support contract.'],
  avoid: ['Avoided by decommissioning the affected service.', 'Avoided: the process was redesigned so the exposure no longer exists.'],
};

export const RATIONALES: readonly string[] = [
  'Likelihood is low while the affected devices sit behind the firewall.',
  'Impact is limited to one site and a manual workaround exists.',
  'The board asked for this to be closed before the next audit.',
  'Two near-misses in the last quarter raised the likelihood.',
];
