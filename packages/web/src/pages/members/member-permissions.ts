import { ROLES, type Role, roleAtLeast } from '@switchyard/shared';

export type MemberPermissions = {
  /** The roles the actor may set on this member; empty when the role is not theirs to change. */
  roleChoices: Role[];
  canRemove: boolean;
  /** Why the role is fixed, when it is and the actor is an admin. */
  reason: string | null;
};

/**
 * What the signed-in user may do to one member, as `member-routes.ts` decides it: admins manage
 * members, only owners grant, take or remove the owner role, the last owner stays an owner, and
 * nobody raises their own role.
 * Removing yourself (leaving) is not offered here.
 */
export function memberPermissions(options: {
  actorRole: Role;
  targetRole: Role;
  ownerCount: number;
  isSelf: boolean;
}): MemberPermissions {
  const { actorRole, targetRole, ownerCount, isSelf } = options;
  const none = { roleChoices: [], canRemove: false };
  if (!roleAtLeast(actorRole, 'admin')) return { ...none, reason: null };
  const actorIsOwner = actorRole === 'owner';
  if (targetRole === 'owner' && !actorIsOwner) return { ...none, reason: 'Only an owner can change an owner' };
  if (targetRole === 'owner' && ownerCount <= 1) {
    return { ...none, reason: 'The last owner; make someone else owner first' };
  }
  const grantable = actorIsOwner ? [...ROLES] : ROLES.filter((role) => role !== 'owner');
  return {
    // Nobody raises their own role: for yourself, only your role and those below it.
    roleChoices: isSelf ? grantable.filter((role) => roleAtLeast(actorRole, role)) : grantable,
    canRemove: !isSelf,
    reason: null,
  };
}
