import { highestRole, type SignedInUser } from '../../app/session.ts';

/**
 * Site staff run only approved runbooks (the role rules refuse the rest), so they are shown no
 * others: drafts written for technicians would only confuse a store's shared tablet.
 */
export const isStaff = (user: SignedInUser): boolean => highestRole(user) === 'staff';
