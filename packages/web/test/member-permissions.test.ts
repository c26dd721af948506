import { describe, expect, it } from 'vitest';
import { memberPermissions } from '../src/pages/members/member-permissions.js';

describe('memberPermissions', () => {
  it('never offers someone a role above their own for themselves', () => {
    const asAdmin = memberPermissions({ actorRole: 'admin', targetRole: 'admin', ownerCount: 1, isSelf: true });
    expect(asAdmin.roleChoices).toEqual(['viewer', 'member', 'admin']);
    expect(asAdmin.canRemove).toBe(false);
    const asOwner = memberPermissions({ actorRole: 'owner', targetRole: 'owner', ownerCount: 2, isSelf: true });
    expect(asOwner.roleChoices).toEqual(['viewer', 'member', 'admin', 'owner']);
  });

  it('offers admins every role but owner for others, and owners every role', () => {
    const others = { targetRole: 'member' as const, ownerCount: 1, isSelf: false };
    expect(memberPermissions({ ...others, actorRole: 'admin' }).roleChoices).toEqual(['viewer', 'member', 'admin']);
    expect(memberPermissions({ ...others, actorRole: 'owner' }).roleChoices).toContain('owner');
    expect(memberPermissions({ ...others, actorRole: 'member' }).roleChoices).toEqual([]);
  });

  it('keeps the last owner an owner', () => {
    const lastOwner = memberPermissions({ actorRole: 'owner', targetRole: 'owner', ownerCount: 1, isSelf: true });
    expect(lastOwner.roleChoices).toEqual([]);
    expect(lastOwner.reason).toMatch(/last owner/);
  });
});
