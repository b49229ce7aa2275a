import { hidesFiler, seesInternalNotes, Viewer } from '../appeals/disclosure';
import type { Attachment } from './entities/attachment.entity';

/**
 * An evidence file as a viewer sees it (SPEC §11). Staff user ids are internal notes (SPEC §5.1): the
 * enterprise sees who uploaded only for its own files; where the filer is hidden (a confidential appeal, a
 * department), the enterprise's own uploads show no uploader.
 */
export function attachmentView(a: Attachment, appeal: { confidential: boolean }, viewer: Viewer) {
  const own = a.uploaderRole === 'enterprise';
  const uploadedBy = !seesInternalNotes(viewer)
    ? own
      ? a.uploadedBy
      : null
    : own && hidesFiler(appeal, viewer)
      ? null
      : a.uploadedBy;
  return {
    id: a.id,
    appealId: a.appealId,
    fileName: a.fileName,
    mediaType: a.mediaType,
    size: a.size,
    sha256: a.sha256,
    purpose: a.purpose,
    uploadedBy,
    uploaderRole: own ? 'enterprise' : 'staff',
    metadataStripped: a.metadataStripped,
    shared: a.sharedAt !== null,
    sharedAt: a.sharedAt,
    createdAt: a.createdAt,
  };
}

/** SPEC §11: on a confidential appeal a department gets only the files the centre shared with it. */
export function mayReadFile(
  a: Pick<Attachment, 'sharedAt'>,
  appeal: { confidential: boolean },
  role: string,
) {
  return !(appeal.confidential && role === 'handler' && a.sharedAt === null);
}
