export type { AuditLog, AuditQuery } from './audit-log.port';
export { StoreAuditLog, AUDIT_COLLECTION, auditKey } from './store-audit-log';
export { newAuditId, auditMetaFrom, type AuditSource } from './audit-id';
