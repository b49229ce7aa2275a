import { Init1795525727240 } from './1795525727240-Init';
import { Appeals1795525879078 } from './1795525879078-Appeals';
import { CalendarAndSla1795530711526 } from './1795530711526-CalendarAndSla';
import { DeadlineFiring1795530977017 } from './1795530977017-DeadlineFiring';
import { Notifications1795531543381 } from './1795531543381-Notifications';
import { RoutingAndWebhooks1795533524766 } from './1795533524766-RoutingAndWebhooks';
import { Reports1795533545771 } from './1795533545771-Reports';
import { ReportsOpenAssignments1795536404729 } from './1795536404729-ReportsOpenAssignments';
import { AppealNumberSequence1796040000000 } from './1796040000000-AppealNumberSequence';
import { ReportCountersModule1796040141848 } from './1796040141848-ReportCountersModule';
import { AssessmentRules1796048538137 } from './1796048538137-AssessmentRules';
import { ReportDeltaCreatedAt1796052000000 } from './1796052000000-ReportDeltaCreatedAt';
import { TokenVersion1796056000000 } from './1796056000000-TokenVersion';
import { WebhookConfidentialAccess1796056100000 } from './1796056100000-WebhookConfidentialAccess';
import { EventLogHead1796056200000 } from './1796056200000-EventLogHead';
import { Meetings1796060000000 } from './1796060000000-Meetings';
import { Districts1796064000000 } from './1796064000000-Districts';
import { EnterpriseSearch1796064100000 } from './1796064100000-EnterpriseSearch';
import { DropAppealNumberCounters1796070000000 } from './1796070000000-DropAppealNumberCounters';
import { UsernameUniqueIgnoringCase1796070100000 } from './1796070100000-UsernameUniqueIgnoringCase';
import { AppealSearchIndexes1796080000000 } from './1796080000000-AppealSearchIndexes';
import { ContactAndFollowThrough1796090000000 } from './1796090000000-ContactAndFollowThrough';
import { PlannedResolution1796091000000 } from './1796091000000-PlannedResolution';
import { KnowledgeBase1796092000000 } from './1796092000000-KnowledgeBase';
import { AttachmentsAndContacts1796093000000 } from './1796093000000-AttachmentsAndContacts';
import { Whistles1796094000000 } from './1796094000000-Whistles';
import { DuplicateSignatures1796094500000 } from './1796094500000-DuplicateSignatures';
import { DeadlineNextDue1796097000000 } from './1796097000000-DeadlineNextDue';
import { ReportTriggerConditions1796098000000 } from './1796098000000-ReportTriggerConditions';
import { AppealsFillfactor1796098100000 } from './1796098100000-AppealsFillfactor';
import { ReportRollupMonth1796099000000 } from './1796099000000-ReportRollupMonth';
import { MeetingAttendanceChain1796100000000 } from './1796100000000-MeetingAttendanceChain';
import { RoutingPending1796101000000 } from './1796101000000-RoutingPending';

/** Every migration, in order. `npm run migration:generate -- migrations/<Name>` writes a file; add it here. */
export const MIGRATIONS: Function[] = [
  Init1795525727240,
  Appeals1795525879078,
  CalendarAndSla1795530711526,
  DeadlineFiring1795530977017,
  Notifications1795531543381,
  RoutingAndWebhooks1795533524766,
  Reports1795533545771,
  ReportsOpenAssignments1795536404729,
  AppealNumberSequence1796040000000,
  ReportCountersModule1796040141848,
  AssessmentRules1796048538137,
  ReportDeltaCreatedAt1796052000000,
  TokenVersion1796056000000,
  WebhookConfidentialAccess1796056100000,
  EventLogHead1796056200000,
  Meetings1796060000000,
  Districts1796064000000,
  EnterpriseSearch1796064100000,
  DropAppealNumberCounters1796070000000,
  UsernameUniqueIgnoringCase1796070100000,
  AppealSearchIndexes1796080000000,
  ContactAndFollowThrough1796090000000,
  PlannedResolution1796091000000,
  KnowledgeBase1796092000000,
  AttachmentsAndContacts1796093000000,
  Whistles1796094000000,
  DuplicateSignatures1796094500000,
  DeadlineNextDue1796097000000,
  ReportTriggerConditions1796098000000,
  AppealsFillfactor1796098100000,
  ReportRollupMonth1796099000000,
  MeetingAttendanceChain1796100000000,
  RoutingPending1796101000000,
];
