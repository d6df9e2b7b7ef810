import { findPerson, loadDirectory, savePeople } from '../adapters/directory-store';
import { revokeOfficial } from '../adapters/pki-store';
import type { Position } from '../core/domain/directory';
import { DomainError } from '../core/errors';
import { logger } from '../http/api';

/**
 * An administrator moves a person to a new position (the 2025 reform moved thousands). Authorization reads
 * the directory on every request, so the change applies to the person's very next request, whatever their
 * token says; their certificate, which names the old position, is revoked at once, and their next
 * signature gets a new one. Signatures made before stay valid: they were made while it was not revoked.
 */
export async function changePosition(adminId: string | undefined, personId: string, position: Position) {
  const admin = adminId ? await findPerson(adminId) : undefined;
  if (!admin) throw new DomainError('unauthenticated', 401);
  if (admin.position.role !== 'admin') {
    throw new DomainError('forbidden', 403, { reason: 'chỉ quản trị hệ thống / administrators only' });
  }
  const person = await findPerson(personId);
  if (!person) throw new DomainError('not_found', 404, { what: `người dùng ${personId} / user ${personId}` });
  const directory = await loadDirectory();
  if (!directory.find(position.orgId)) {
    throw new DomainError('validation_failed', 422, { detail: `orgId: ${position.orgId}` });
  }
  const moved = { ...person, position };
  await savePeople([moved]);
  const now = new Date();
  const revokedCertificate = await revokeOfficial(person.id, now, 'affiliationChanged');
  logger.info('position changed', {
    personId,
    by: admin.id,
    from: person.position,
    to: position,
    revokedCertificate,
  });
  return { ...moved, revokedCertificate };
}
