import { AppealEvent } from '../../modules/appeals/entities/appeal-event.entity';
import { Appeal } from '../../modules/appeals/entities/appeal.entity';
import { IdempotencyKey } from '../../modules/appeals/entities/idempotency-key.entity';
import { Supplement } from '../../modules/appeals/entities/supplement.entity';
import { Attachment } from '../../modules/attachments/entities/attachment.entity';
import { AssessmentAppeal } from '../../modules/assessment/entities/assessment-appeal.entity';
import { Survey } from '../../modules/assessment/entities/survey.entity';
import { Assignment } from '../../modules/assignments/entities/assignment.entity';
import { ExtensionRequest } from '../../modules/assignments/entities/extension-request.entity';
import { ReturnRequest } from '../../modules/assignments/entities/return-request.entity';
import { Supervision } from '../../modules/supervision/entities/supervision.entity';
import { ContactAttempt } from '../../modules/follow-up/entities/contact-attempt.entity';
import { StagedReply } from '../../modules/follow-up/entities/staged-reply.entity';
import { Plan } from '../../modules/plans/entities/plan.entity';
import { CalendarDayRow } from '../../modules/calendar/calendar-day.entity';
import { Notification } from '../../modules/notifications/notification.entity';
import { RoutingRule } from '../../modules/routing/routing-rule.entity';
import { Webhook, WebhookAttempt, WebhookDelivery } from '../../modules/webhooks/webhook.entity';
import { SlaPolicy } from '../../modules/sla/sla-policy.entity';
import { Category } from '../../modules/categories/category.entity';
import { Department } from '../../modules/departments/department.entity';
import { District } from '../../modules/districts/district.entity';
import { Enterprise } from '../../modules/enterprises/enterprise.entity';
import { Meeting, MeetingEnterprise } from '../../modules/meetings/meeting.entity';
import { User } from '../../modules/users/user.entity';
import { KnowledgeEntry } from '../../modules/knowledge/entities/knowledge-entry.entity';
import { KnowledgeEvent } from '../../modules/knowledge/entities/knowledge-event.entity';
import { KnowledgeVersion } from '../../modules/knowledge/entities/knowledge-version.entity';
import {
  ReportDelta,
  ReportOpenAssignment,
  ReportRollupDim,
  ReportRollupMonth,
  ReportRollupFull,
} from '../../modules/reports/entities/report-rollups.entity';
import { ReportTargetsRow } from '../../modules/reports/entities/report-targets.entity';
import { WhistleCommitment } from '../../modules/whistles/entities/whistle-commitment.entity';
import { WhistleDepartment } from '../../modules/whistles/entities/whistle-department.entity';
import { Whistle } from '../../modules/whistles/entities/whistle.entity';

/** Every entity, listed once: the app, the migration CLI and the drift test share this list. */
export const ENTITIES = [
  Department,
  Enterprise,
  User,
  Category,
  Appeal,
  Assignment,
  AppealEvent,
  ExtensionRequest,
  Survey,
  Supervision,
  Plan,
  Supplement,
  Attachment,
  ReturnRequest,
  AssessmentAppeal,
  ContactAttempt,
  StagedReply,
  IdempotencyKey,
  CalendarDayRow,
  SlaPolicy,
  Notification,
  RoutingRule,
  Webhook,
  WebhookDelivery,
  WebhookAttempt,
  ReportDelta,
  ReportRollupFull,
  ReportRollupDim,
  ReportRollupMonth,
  ReportTargetsRow,
  ReportOpenAssignment,
  Meeting,
  MeetingEnterprise,
  District,
  KnowledgeEntry,
  KnowledgeVersion,
  KnowledgeEvent,
  Whistle,
  WhistleDepartment,
  WhistleCommitment,
];
