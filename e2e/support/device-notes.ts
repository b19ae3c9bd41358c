import type { Locator, Page } from 'playwright-core';

/** The notes field of the open device page (DeviceNotesForm). */
export const deviceNotesField = (page: Page): Locator => page.getByLabel('Notes', { exact: true });

/** The maintenance field of the same form: a datetime-local input ("2027-03-04T10:30", the browser's zone). */
export const deviceMaintenanceField = (page: Page): Locator => page.getByLabel('In maintenance until', { exact: true });

/** The form's save status: empty until a save completes, then "Saved on this device…". */
export const deviceNotesStatus = (page: Page): Locator => page.locator('.save-state');

/**
 * Fills one field of the open device page's notes form with `value` and saves; resolves when the
 * form says the save completed ("Saved on this device…", whether or not it has synced yet).
 * Typing clears the previous status, so the status waited for is this save's.
 */
export async function saveDeviceNotesForm(page: Page, field: Locator, value: string, timeoutMs = 15_000): Promise<void> {
  await field.fill(value);
  await page.getByRole('button', { name: 'Save notes' }).click();
  await deviceNotesStatus(page).filter({ hasText: /^\s*Saved on this device/ }).waitFor({ timeout: timeoutMs });
}

export const saveDeviceNotes = (page: Page, text: string, timeoutMs?: number): Promise<void> => saveDeviceNotesForm(page, deviceNotesField(page), text, timeoutMs);
