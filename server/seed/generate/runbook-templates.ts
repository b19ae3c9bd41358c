import type { DeviceKind } from './context.ts';

export interface StepTemplate {
  readonly instruction: string;
  readonly check?: string;
  readonly expectedResult?: string;
  readonly commonErrors?: string;
  readonly rollback?: string;
}

export interface RunbookTemplate {
  readonly title: string;
  readonly summary: string;
  /** `staff` marks runbooks written for site staff rather than technicians. */
  readonly tags: readonly string[];
  readonly kinds: readonly DeviceKind[];
  /** Device tags the runbook is limited to (appliesTo.tags). */
  readonly deviceTags?: readonly string[];
  /** 1: every org needs it; 3: nice to have. Small datasets take the first ones. */
  readonly priority: 1 | 2 | 3;
  readonly steps: readonly StepTemplate[];
}

export const RUNBOOK_TEMPLATES: readonly RunbookTemplate[] = [
  {
    title: 'Printer offline',
    summary: 'Bring a network printer back online when jobs queue up and nothing prints.',
    tags: ['staff', 'printing'], kinds: ['printer'], priority: 1,
    steps: [
      { instruction: 'Check the printer display for an error (paper jam, tray open, toner low).', check: 'Display shows "Ready"', commonErrors: 'A jam in the rear door is easy to miss: open it and look.' },
      { instruction: 'Confirm the network cable is seated and the link light beside the port is lit.', expectedResult: 'Green link light, amber activity light blinking' },
      { instruction: 'Power-cycle the printer: switch off, wait 30 seconds, switch on.', expectedResult: 'Printer returns to "Ready" within 2 minutes' },
      { instruction: 'Print a configuration page from the printer menu and compare its IP address with the one in Outpost.', check: 'IP addresses match', commonErrors: 'A different address means DHCP reassigned it: note the new address in the run.' },
      { instruction: 'Send a test page from the back-office PC.', expectedResult: 'Test page prints within a minute', rollback: 'If it still fails, mark the step failed and open an incident so a technician visits.' },
    ],
  },
  {
    title: "POS won't boot",
    summary: 'Recover a point-of-sale terminal that stays dark, loops at the logo, or stops at a blue screen.',
    tags: ['staff', 'pos', 'pci'], kinds: ['pos'], priority: 1,
    steps: [
      { instruction: 'Move customers to another lane and put the "Lane closed" sign up.' },
      { instruction: 'Check the power brick LED and the outlet; try the outlet with another device.', check: 'Power brick LED is lit', commonErrors: 'Cleaning staff often unplug the power strip under the counter.' },
      { instruction: 'Hold the power button for 10 seconds, wait 30 seconds, press it once.', expectedResult: 'Manufacturer logo, then Windows starts' },
      { instruction: 'If it stops at "Automatic Repair", choose Advanced options → Continue to Windows.', commonErrors: 'Do not choose "Reset this PC": it removes the POS software and the lane needs re-imaging.' },
      { instruction: 'Sign in to the POS app and run a $0.00 test transaction.', expectedResult: 'Receipt prints, card reader shows "Ready"', rollback: 'If it still fails, leave the lane closed, mark the step failed and call the service desk.' },
    ],
  },
  {
    title: 'Receipt printer jammed or printing blank',
    summary: 'Clear a receipt printer jam or fix blank receipts at a POS lane.',
    tags: ['staff', 'pos', 'printing'], kinds: ['printer', 'pos'], deviceTags: ['receipt'], priority: 1,
    steps: [
      { instruction: 'Open the cover with the lever and remove the paper roll.', commonErrors: 'Never pull torn paper out through the cutter: it blunts the blade.' },
      { instruction: 'Check the roll orientation: the shiny side faces the print head.', expectedResult: 'Scratching the paper with a fingernail leaves a dark mark on the side facing up' },
      { instruction: 'Reload the roll, leave 5 cm of paper out, close the cover firmly.', check: 'Error light off' },
      { instruction: 'Print the last receipt again from the POS menu.', expectedResult: 'Legible receipt, cut cleanly' },
    ],
  },
  {
    title: 'Card reader not responding at checkout',
    summary: 'Payment terminal shows "Not connected" or never wakes when a sale is totalled.',
    tags: ['staff', 'pos', 'pci', 'payments'], kinds: ['pos'], priority: 1,
    steps: [
      { instruction: 'Check the terminal display: note any error code in the run.', check: 'Error code noted' },
      { instruction: 'Unplug the reader from the POS USB port, wait 10 seconds, plug it back in.', expectedResult: 'Reader beeps and shows the idle screen' },
      { instruction: 'In the POS app, open Devices → Payment terminal → Reconnect.', expectedResult: 'Status "Connected"', commonErrors: '"Key injection required" cannot be fixed in store: stop and call the payment provider.' },
      { instruction: 'Run a $1.00 test sale and void it.', expectedResult: 'Approved, then voided', rollback: 'Void any test sale that went through before closing the run.' },
    ],
  },
  {
    title: 'Store Wi-Fi down',
    summary: 'Handhelds and tablets lose Wi-Fi on the sales floor or in the stock room.',
    tags: ['staff', 'network', 'wifi'], kinds: ['access-point'], priority: 2,
    steps: [
      { instruction: 'Check whether wired devices (POS, back-office PC) still reach the internet.', check: 'Wired devices online', commonErrors: 'If wired devices are offline too, follow "WAN outage: fail over to LTE" instead.' },
      { instruction: 'Look at the access point LEDs: solid green or blue is healthy, flashing amber is not.' },
      { instruction: 'In the comms cabinet, find the switch port labelled for the access point and reseat the cable.', expectedResult: 'Access point reboots (LED cycles) and returns to solid within 3 minutes' },
      { instruction: 'Reconnect a tablet to the staff SSID and open the stock app.', expectedResult: 'Stock app loads' },
    ],
  },
  {
    title: 'Replace failed disk in RAID1',
    summary: 'Swap a failed mirror member on a server and watch the rebuild finish.',
    tags: ['server', 'storage', 'hardware'], kinds: ['server'], priority: 1,
    steps: [
      { instruction: 'In the controller utility (iDRAC / iLO / XClarity), identify the failed drive by bay number and serial.', check: 'Failed bay and serial noted', commonErrors: 'Bay numbering starts at 0 on Dell and at 1 on HPE.' },
      { instruction: 'Confirm the last backup job succeeded within 24 hours.', expectedResult: 'Backup status "Success"', rollback: 'If the backup is older, run one now before touching hardware.' },
      { instruction: 'Turn on the locator LED for the failed bay and hot-swap the drive with the replacement (same size or larger, same interface).', commonErrors: 'Pulling the healthy drive destroys the array: check the LED twice.' },
      { instruction: 'Watch the controller start the rebuild automatically; assign the new drive as a hot spare if it does not.', expectedResult: 'Rebuild in progress' },
      { instruction: 'Leave the rebuild running and record the expected completion time.', check: 'Rebuild at 100%, virtual disk "Optimal"' },
      { instruction: 'Return the failed drive in the RMA box with the ticket number written on it.' },
    ],
  },
  {
    title: 'Rotate local admin password',
    summary: 'Rotate the local administrator password on an endpoint and escrow it in LAPS.',
    tags: ['security', 'identity'], kinds: ['workstation', 'laptop', 'server', 'pos'], priority: 1,
    steps: [
      { instruction: 'Open the device in Intune (or the AD LAPS UI) and note the current password expiry.', check: 'Expiry noted' },
      { instruction: 'Trigger "Rotate local admin password" for the device.', expectedResult: 'Rotation requested' },
      { instruction: 'Wait for the next check-in (up to 15 minutes) or run "Sync" from the device\'s Company Portal.', expectedResult: 'New password visible with a new expiry', commonErrors: 'An offline device rotates only when it next checks in: leave the run open.' },
      { instruction: 'Sign in once with the new password to confirm it works, then sign out.', rollback: 'If sign-in fails, use the previous password from LAPS history and escalate.' },
    ],
  },
  {
    title: 'Free up disk space on a Windows endpoint',
    summary: 'Clear space when a workstation, laptop or POS reports less than 15% free on C:.',
    tags: ['windows', 'storage'], kinds: ['workstation', 'laptop', 'pos'], priority: 1,
    steps: [
      { instruction: 'Check free space on C: in Outpost and on the device (File Explorer → This PC).', check: 'Free space noted' },
      { instruction: 'Run Disk Cleanup as administrator and include "Windows Update Cleanup".', expectedResult: 'Several GB freed' },
      { instruction: 'Empty C:\\Windows\\Temp and the user temp folders.', commonErrors: 'Files in use cannot be deleted: skip them.' },
      { instruction: 'Use WinDirStat (from the tools share) to find large folders such as old POS logs or Downloads.', rollback: 'Do not delete anything under C:\\ProgramData\\POS: the store loses its offline transaction queue.' },
      { instruction: 'Wait for the next inventory report and confirm the health warning clears.', expectedResult: 'More than 15% free, health "ok"' },
    ],
  },
  {
    title: 'WAN outage: fail over to LTE',
    summary: 'Keep a site trading when the primary internet circuit drops.',
    tags: ['network', 'wan', 'outage'], kinds: ['router', 'firewall'], priority: 1,
    steps: [
      { instruction: 'Confirm the outage: the router shows the primary WAN down and the ISP status page or support line confirms it.', check: 'Ticket number from the ISP noted' },
      { instruction: 'Check that the LTE failover router has signal (at least 2 bars) and is powered.', expectedResult: 'Failover link up', commonErrors: 'The LTE antenna is often knocked loose in the comms cabinet.' },
      { instruction: 'If failover did not engage automatically, switch the SD-WAN policy to "secondary preferred".', rollback: 'Switch the policy back to "primary preferred" once the circuit is restored.' },
      { instruction: 'Run a card payment and a stock lookup from the site.', expectedResult: 'Both succeed over LTE' },
      { instruction: 'Tell the site lead that video uploads and updates are paused to save LTE data.' },
    ],
  },
  {
    title: 'Re-image a POS terminal',
    summary: 'Rebuild a POS terminal from the golden image when repair has failed.',
    tags: ['pos', 'pci', 'imaging'], kinds: ['pos'], priority: 2,
    steps: [
      { instruction: 'Confirm the lane has no unsent offline transactions (POS app → Queue).', check: 'Queue empty', commonErrors: 'Re-imaging with a non-empty queue loses those sales.' },
      { instruction: 'Boot from the imaging USB stick (F12 on NCR, F10 on Toshiba) and choose the store\'s image version.', expectedResult: 'Imaging starts' },
      { instruction: 'After imaging, enter the lane number and store code when prompted.', expectedResult: 'Terminal joins the store and downloads its configuration' },
      { instruction: 'Pair the card reader and receipt printer, then run a test sale.', expectedResult: 'Sale approved, receipt printed' },
      { instruction: 'Confirm the agent enrolled and the device shows online in Outpost.', rollback: 'If enrollment fails, ask an admin for a new site enrollment token.' },
    ],
  },
  {
    title: 'Onboard a new laptop',
    summary: 'Prepare a laptop for a new starter with Autopilot and check it reports in.',
    tags: ['onboarding', 'windows'], kinds: ['laptop'], priority: 2,
    steps: [
      { instruction: 'Check the serial number is registered in Autopilot and assigned to the right group.', check: 'Device listed in Autopilot' },
      { instruction: 'Power on, connect to the office network and sign in with the starter\'s account.', expectedResult: 'Enrollment status page completes' },
      { instruction: 'Confirm BitLocker is on and the recovery key is escrowed.', expectedResult: 'Recovery key visible in Entra ID' },
      { instruction: 'Install the Outpost agent from Company Portal and enroll it with the site token.', expectedResult: 'Device appears in Outpost with inventory' },
      { instruction: 'Hand over the laptop and have the starter sign the asset form.' },
    ],
  },
  {
    title: 'Offboard a leaver: wipe and collect devices',
    summary: 'Retire a leaver\'s laptop and phone without losing company data.',
    tags: ['offboarding', 'security'], kinds: ['laptop', 'phone', 'tablet'], priority: 2,
    steps: [
      { instruction: 'Confirm HR has disabled the account and the manager has approved the wipe.', check: 'Approval noted' },
      { instruction: 'Collect the devices and chargers; match serials against Outpost.', commonErrors: 'Personal phones with a work profile only get a selective wipe.' },
      { instruction: 'Issue a remote wipe from Intune and wait for confirmation.', expectedResult: 'Wipe status "Completed"' },
      { instruction: 'Mark the device retired in Outpost or return it to stock with the "loaner" tag.' },
    ],
  },
  {
    title: 'Patch Windows servers in the maintenance window',
    summary: 'Apply monthly updates to Windows servers one at a time with a way back.',
    tags: ['server', 'patching', 'windows'], kinds: ['server'], priority: 2,
    steps: [
      { instruction: 'Put the server in maintenance mode in Outpost for 2 hours.', expectedResult: 'Alerts silenced until the window ends' },
      { instruction: 'Take a VM snapshot or confirm last night\'s backup.', check: 'Snapshot or backup time noted', rollback: 'Revert to the snapshot if the server does not come back healthy.' },
      { instruction: 'Install updates and reboot.', expectedResult: 'Server back within 15 minutes', commonErrors: 'Servicing stack updates sometimes need a second reboot.' },
      { instruction: 'Check the line-of-business services started and users can sign in.', check: 'Services running' },
      { instruction: 'Delete the snapshot after 24 hours if nothing broke.' },
    ],
  },
  {
    title: 'Antivirus disabled on endpoint',
    summary: 'Respond when an endpoint reports its antivirus off.',
    tags: ['security', 'antivirus'], kinds: ['workstation', 'laptop', 'pos', 'server'], priority: 1,
    steps: [
      { instruction: 'Isolate the device from the network in the EDR console if anything else looks wrong.', commonErrors: 'Isolating a POS lane stops card payments: close the lane first.' },
      { instruction: 'Check Windows Security → Virus & threat protection for who turned it off (policy, user, or third-party product).', check: 'Cause noted' },
      { instruction: 'Re-enable real-time protection and run a quick scan.', expectedResult: 'Quick scan finds no threats' },
      { instruction: 'Force a policy sync so tamper protection keeps it on.', expectedResult: 'Antivirus "on" in the next inventory report', rollback: 'Release the device from isolation once the scan is clean.' },
    ],
  },
  {
    title: 'Replace a failed switch',
    summary: 'Swap an access switch for a pre-configured spare with minimal downtime.',
    tags: ['network', 'hardware'], kinds: ['switch'], priority: 2,
    steps: [
      { instruction: 'Photograph the patching (every port) before unplugging anything.', check: 'Photos attached to the run' },
      { instruction: 'Load the latest configuration backup onto the spare.', expectedResult: 'Spare shows the site hostname and VLANs' },
      { instruction: 'Swap the hardware and re-patch port by port from the photos.', commonErrors: 'Uplinks on SFP ports need the transceivers moved over too.' },
      { instruction: 'Check PoE devices (APs, phones, cameras) power up.', expectedResult: 'All PoE devices online in Outpost within 5 minutes' },
      { instruction: 'Update the serial number in Outpost and start the RMA for the failed unit.' },
    ],
  },
  {
    title: 'Calibrate a Zebra label printer',
    summary: 'Fix labels that print off-centre, skip, or feed two at a time.',
    tags: ['staff', 'printing', 'warehouse'], kinds: ['printer'], deviceTags: ['label'], priority: 2,
    steps: [
      { instruction: 'Check the label roll is the right size and loaded under the guides.' },
      { instruction: 'Hold the FEED button until the status light flashes twice, then release (media calibration).', expectedResult: 'Printer feeds a few labels and stops at the start of a label' },
      { instruction: 'Print a test label from the warehouse app.', expectedResult: 'Barcode centred and scannable', commonErrors: 'Faded print means the darkness setting or the print head needs cleaning.' },
    ],
  },
  {
    title: 'Handheld scanner cannot connect',
    summary: 'Get a warehouse or store handheld back on Wi-Fi and into the picking app.',
    tags: ['staff', 'wifi', 'warehouse'], kinds: ['other', 'tablet'], priority: 2,
    steps: [
      { instruction: 'Check the battery is above 20% and swap it if not.' },
      { instruction: 'Toggle airplane mode on and off and wait 30 seconds.', expectedResult: 'Wi-Fi icon shows full bars', commonErrors: 'Cold-store aisles have no coverage: test near the dock doors.' },
      { instruction: 'Open the picking app and sign in again.', expectedResult: 'Pick list loads' },
      { instruction: 'If it still fails, restart the device holding power for 5 seconds → Restart.', rollback: 'Hand out a spare from the charging rack and tag this one for a technician.' },
    ],
  },
  {
    title: 'Camera offline or NVR not recording',
    summary: 'Restore video when a camera drops off the recorder.',
    tags: ['cctv', 'physical-security'], kinds: ['camera'], priority: 3,
    steps: [
      { instruction: 'Check the camera shows in the VMS and note the time recording stopped.', check: 'Gap noted' },
      { instruction: 'Bounce PoE on the camera\'s switch port.', expectedResult: 'Camera back in the VMS within 3 minutes' },
      { instruction: 'If not, check the cable at the camera for water ingress or damage.', commonErrors: 'Outdoor cameras need a lift or a ladder over 3 m: book one in advance.' },
      { instruction: 'Confirm recording resumed and export any footage requested for the gap.' },
    ],
  },
  {
    title: 'Check-in kiosk frozen',
    summary: 'Restart a frozen self check-in kiosk in the lobby.',
    tags: ['staff', 'kiosk'], kinds: ['kiosk'], priority: 2,
    steps: [
      { instruction: 'Put the "Please check in at reception" sign on the kiosk.' },
      { instruction: 'Press and hold the power button on the rear until the screen turns off, then press once.', expectedResult: 'Kiosk app starts full-screen within 2 minutes' },
      { instruction: 'Do a test check-in with the demo patient card.', expectedResult: 'Ticket prints, receptionist sees the demo arrival', rollback: 'Cancel the demo arrival at reception.' },
    ],
  },
  {
    title: 'Restore a file from backup',
    summary: 'Restore a deleted or overwritten file from the nightly backup.',
    tags: ['backup', 'server'], kinds: ['server'], priority: 3,
    steps: [
      { instruction: 'Get the full path, the approximate time it was last good, and the requester\'s manager approval for shared folders.', check: 'Path and time noted' },
      { instruction: 'In the backup console, browse the restore point just before that time.', commonErrors: 'Restore points older than 30 days are on the offsite copy and take hours.' },
      { instruction: 'Restore to an alternate location, never over the live file.', expectedResult: 'File restored to \\\\server\\restore\\<ticket>' },
      { instruction: 'Ask the requester to confirm it is the right version, then move it into place.' },
    ],
  },
  {
    title: 'Upgrade firewall firmware',
    summary: 'Upgrade a site firewall to the approved firmware release.',
    tags: ['network', 'security', 'patching'], kinds: ['firewall'], priority: 2,
    steps: [
      { instruction: 'Back up the running configuration and download it.', check: 'Backup file saved to the config repository' },
      { instruction: 'Check the upgrade path (some versions need an intermediate release).', commonErrors: 'Skipping a required intermediate release can reset the configuration.' },
      { instruction: 'Upload the image and reboot outside trading hours.', expectedResult: 'Firewall back online within 10 minutes' },
      { instruction: 'Test VPN to head office, card payments and guest Wi-Fi.', expectedResult: 'All three work', rollback: 'Boot the previous image from the alternate partition and restore the backup.' },
    ],
  },
  {
    title: 'Desk phone has no dial tone',
    summary: 'Get a desk phone registered again.',
    tags: ['staff', 'voice'], kinds: ['phone'], priority: 3,
    steps: [
      { instruction: 'Check the screen: "Registering" or "No service" means the phone cannot reach the call platform.' },
      { instruction: 'Unplug the network cable from the phone for 10 seconds and plug it back.', expectedResult: 'Phone reboots and shows the extension' },
      { instruction: 'Make a test call to the store\'s main number.', expectedResult: 'Call connects both ways', commonErrors: 'One-way audio is a firewall problem: open an incident.' },
    ],
  },
  {
    title: 'UPS on battery or battery failed',
    summary: 'Respond when a UPS reports running on battery or a failed battery self-test.',
    tags: ['power', 'hardware'], kinds: ['other'], deviceTags: ['power'], priority: 3,
    steps: [
      { instruction: 'Check whether site power is out or only the UPS input (tripped breaker).', check: 'Cause noted' },
      { instruction: 'Note the remaining runtime; if under 10 minutes, shut down servers gracefully.', commonErrors: 'Network gear shuts down last: keep the firewall and switch up as long as possible.' },
      { instruction: 'For a failed self-test, order the replacement battery cartridge (RBC) and schedule the swap.', expectedResult: 'Order number noted' },
      { instruction: 'After the swap, run a self-test from the UPS network card.', expectedResult: 'Self-test "Passed"' },
    ],
  },
  {
    title: 'Fix clock skew on an endpoint',
    summary: 'Resynchronise time when an endpoint drifts and sign-ins or certificates start failing.',
    tags: ['windows', 'time'], kinds: ['workstation', 'laptop', 'server', 'pos'], priority: 3,
    steps: [
      { instruction: 'Compare the device clock with the server time shown in Outpost.', check: 'Offset noted' },
      { instruction: 'Run `w32tm /resync /force` from an elevated prompt.', expectedResult: '"The command completed successfully"', commonErrors: 'On domain members, fix the domain controller first if it is also off.' },
      { instruction: 'Check the CMOS battery if the clock drifts again after a reboot.', rollback: 'Replace the CMOS battery (CR2032) at the next visit.' },
    ],
  },
];

/** Qualifiers that make a variation of a template when more runbooks are wanted than exist. */
export const VARIATION_QUALIFIERS: readonly string[] = [
  'quick card', 'night shift', 'after hours', 'new hardware', 'legacy hardware', 'peak season', 'first responder',
];
