/**
 * The report functions and triggers exactly as the ReportTriggerConditions migration applied them (the text
 * reportSqlDefinitions() emitted then, digest 08e825c2…). Frozen: a fresh database replays that migration
 * with this text, and the later migration that re-applies the definitions brings it up to date.
 * report_time_zone() is left out: the migration keeps the database's own zone.
 */

export const REPORT_SQL_1796098000000: { kind: 'function' | 'trigger'; name: string; sql: string }[] = [
  {
    kind: 'function',
    name: 'report_day',
    sql: `CREATE OR REPLACE FUNCTION report_day(ts timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT (ts AT TIME ZONE report_time_zone())::date $$`,
  },
  {
    kind: 'function',
    name: 'report_put',
    sql: `
CREATE OR REPLACE FUNCTION report_put(d date, dept uuid, cat text, dist text, chan text, n bigint[], o bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v bigint[] := ARRAY[coalesce(n[1], 0) - coalesce(o[1], 0), coalesce(n[2], 0) - coalesce(o[2], 0), coalesce(n[3], 0) - coalesce(o[3], 0), coalesce(n[4], 0) - coalesce(o[4], 0), coalesce(n[5], 0) - coalesce(o[5], 0), coalesce(n[6], 0) - coalesce(o[6], 0), coalesce(n[7], 0) - coalesce(o[7], 0), coalesce(n[8], 0) - coalesce(o[8], 0), coalesce(n[9], 0) - coalesce(o[9], 0), coalesce(n[10], 0) - coalesce(o[10], 0), coalesce(n[11], 0) - coalesce(o[11], 0), coalesce(n[12], 0) - coalesce(o[12], 0), coalesce(n[13], 0) - coalesce(o[13], 0), coalesce(n[14], 0) - coalesce(o[14], 0), coalesce(n[15], 0) - coalesce(o[15], 0), coalesce(n[16], 0) - coalesce(o[16], 0), coalesce(n[17], 0) - coalesce(o[17], 0), coalesce(n[18], 0) - coalesce(o[18], 0), coalesce(n[19], 0) - coalesce(o[19], 0), coalesce(n[20], 0) - coalesce(o[20], 0), coalesce(n[21], 0) - coalesce(o[21], 0), coalesce(n[22], 0) - coalesce(o[22], 0), coalesce(n[23], 0) - coalesce(o[23], 0), coalesce(n[24], 0) - coalesce(o[24], 0), coalesce(n[25], 0) - coalesce(o[25], 0), coalesce(n[26], 0) - coalesce(o[26], 0), coalesce(n[27], 0) - coalesce(o[27], 0), coalesce(n[28], 0) - coalesce(o[28], 0), coalesce(n[29], 0) - coalesce(o[29], 0), coalesce(n[30], 0) - coalesce(o[30], 0), coalesce(n[31], 0) - coalesce(o[31], 0), coalesce(n[32], 0) - coalesce(o[32], 0), coalesce(n[33], 0) - coalesce(o[33], 0), coalesce(n[34], 0) - coalesce(o[34], 0), coalesce(n[35], 0) - coalesce(o[35], 0), coalesce(n[36], 0) - coalesce(o[36], 0), coalesce(n[37], 0) - coalesce(o[37], 0), coalesce(n[38], 0) - coalesce(o[38], 0), coalesce(n[39], 0) - coalesce(o[39], 0), coalesce(n[40], 0) - coalesce(o[40], 0)]::bigint[];
BEGIN
  IF v = ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[] THEN RETURN; END IF;
  INSERT INTO report_deltas (day, department_id, category_code, district, channel, received, rejected, withdrawn, merged, closed, closed_first, rated, satisfied, resolved, ack_on_time, ack_due, reply_on_time, reply_due, replied_lead, reply_working_seconds, rated_all, satisfied_all, assessment_appeals, assessment_appeals_approved, lead_dispatched, lead_returned, returns_denied, supervisions, supervisions_answered_on_time, supervisions_answer_due, notices, contact_on_time, contact_due, staged_on_time, staged_due, contact_asked, contact_confirmed, planned, plans_open, plans_overdue, plans_fulfilled_on_time, plans_fulfil_due, plans_confirmed_resolved, on_spot, on_spot_cited)
  VALUES (d, coalesce(dept, '00000000-0000-0000-0000-000000000000'::uuid), cat, coalesce(dist, ''), chan, v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24], v[25], v[26], v[27], v[28], v[29], v[30], v[31], v[32], v[33], v[34], v[35], v[36], v[37], v[38], v[39], v[40]);
END $$`,
  },
  {
    kind: 'function',
    name: 'report_appeals_delta',
    sql: `
CREATE OR REPLACE FUNCTION report_appeals_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o bigint[]; n bigint[]; moved boolean;
BEGIN
  IF TG_OP <> 'INSERT' THEN o := ARRAY[1, (OLD.status = 'rejected')::int, (OLD.status = 'withdrawn')::int, (OLD.status = 'merged')::int, (OLD.status = 'closed')::int, (OLD.status = 'closed' AND OLD.reopen_count = 0)::int, (OLD.latest_satisfaction IS NOT NULL AND coalesce(OLD.latest_survey_valid, true))::int, coalesce(OLD.latest_satisfaction IN ('satisfied','basically_satisfied') AND coalesce(OLD.latest_survey_valid, true), false)::int, (OLD.latest_satisfaction IS NOT NULL AND coalesce(OLD.latest_resolved, false) AND coalesce(OLD.latest_survey_valid, true))::int, 0, 0, 0, 0, 0, 0, (OLD.latest_satisfaction IS NOT NULL)::int, coalesce(OLD.latest_satisfaction IN ('satisfied','basically_satisfied'), false)::int, coalesce(OLD.assessment_appeals, 0)::int, coalesce(OLD.assessment_appeals_approved, 0)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (OLD.latest_satisfaction IS NOT NULL AND OLD.latest_contacted IS NOT NULL AND coalesce(OLD.latest_survey_valid, true))::int, (OLD.latest_satisfaction IS NOT NULL AND coalesce(OLD.latest_contacted, false) AND coalesce(OLD.latest_survey_valid, true))::int, 0, 0, 0, 0, 0, 0, (OLD.resolved_on_spot AND OLD.status NOT IN ('rejected','withdrawn','merged'))::int, (OLD.resolved_on_spot AND OLD.status NOT IN ('rejected','withdrawn','merged') AND coalesce(cardinality(OLD.knowledge_entry_ids), 0) > 0)::int]::bigint[]; END IF;
  IF TG_OP <> 'DELETE' THEN n := ARRAY[1, (NEW.status = 'rejected')::int, (NEW.status = 'withdrawn')::int, (NEW.status = 'merged')::int, (NEW.status = 'closed')::int, (NEW.status = 'closed' AND NEW.reopen_count = 0)::int, (NEW.latest_satisfaction IS NOT NULL AND coalesce(NEW.latest_survey_valid, true))::int, coalesce(NEW.latest_satisfaction IN ('satisfied','basically_satisfied') AND coalesce(NEW.latest_survey_valid, true), false)::int, (NEW.latest_satisfaction IS NOT NULL AND coalesce(NEW.latest_resolved, false) AND coalesce(NEW.latest_survey_valid, true))::int, 0, 0, 0, 0, 0, 0, (NEW.latest_satisfaction IS NOT NULL)::int, coalesce(NEW.latest_satisfaction IN ('satisfied','basically_satisfied'), false)::int, coalesce(NEW.assessment_appeals, 0)::int, coalesce(NEW.assessment_appeals_approved, 0)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (NEW.latest_satisfaction IS NOT NULL AND NEW.latest_contacted IS NOT NULL AND coalesce(NEW.latest_survey_valid, true))::int, (NEW.latest_satisfaction IS NOT NULL AND coalesce(NEW.latest_contacted, false) AND coalesce(NEW.latest_survey_valid, true))::int, 0, 0, 0, 0, 0, 0, (NEW.resolved_on_spot AND NEW.status NOT IN ('rejected','withdrawn','merged'))::int, (NEW.resolved_on_spot AND NEW.status NOT IN ('rejected','withdrawn','merged') AND coalesce(cardinality(NEW.knowledge_entry_ids), 0) > 0)::int]::bigint[]; END IF;
  IF TG_OP = 'UPDATE' THEN
    moved := report_day(OLD.created_at) <> report_day(NEW.created_at) OR OLD.category_code <> NEW.category_code
      OR OLD.district IS DISTINCT FROM NEW.district OR OLD.channel <> NEW.channel;
    IF NOT moved AND OLD.lead_department_id IS NOT DISTINCT FROM NEW.lead_department_id THEN
      IF o <> n THEN
        PERFORM report_put(report_day(NEW.created_at), NEW.lead_department_id, NEW.category_code, NEW.district, NEW.channel, n, o);
      END IF;
      RETURN NULL;
    END IF;
    IF moved THEN
      -- the assignments' counters carry the appeal's day, category, district and channel: re-key them
      PERFORM report_put(report_day(OLD.created_at), s.department_id, OLD.category_code, OLD.district, OLD.channel, NULL, ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, coalesce(s.ack_on_time, false)::int, (s.ack_on_time IS NOT NULL OR coalesce(s.acknowledged_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.ack_due_at, false))::int, (s.role = 'lead' AND coalesce(s.reply_on_time, false))::int, (s.role = 'lead' AND (s.reply_on_time IS NOT NULL OR coalesce(s.status IN ('completed','returned','cancelled') AND s.ended_at > s.reply_due_at, false)))::int, (s.role = 'lead' AND s.reply_working_seconds IS NOT NULL)::int, (CASE WHEN s.role = 'lead' THEN coalesce(s.reply_working_seconds, 0) ELSE 0 END)::bigint, 0, 0, 0, 0, (s.role = 'lead')::int, (s.role = 'lead' AND s.status = 'returned')::int, coalesce(s.return_status = 'denied', false)::int, 0, 0, 0, 0, (s.role = 'lead' AND coalesce(s.contacted_on_time, false))::int, (s.role = 'lead' AND (s.contacted_on_time IS NOT NULL OR coalesce(s.contacted_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.contact_due_at, false)))::int, (s.role = 'lead' AND coalesce(s.staged_on_time, false))::int, (s.role = 'lead' AND (s.staged_on_time IS NOT NULL OR coalesce(s.staged_replied_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.staged_due_at, false)))::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[])
        FROM assignments s WHERE s.appeal_id = OLD.id;
      PERFORM report_put(report_day(NEW.created_at), s.department_id, NEW.category_code, NEW.district, NEW.channel, ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, coalesce(s.ack_on_time, false)::int, (s.ack_on_time IS NOT NULL OR coalesce(s.acknowledged_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.ack_due_at, false))::int, (s.role = 'lead' AND coalesce(s.reply_on_time, false))::int, (s.role = 'lead' AND (s.reply_on_time IS NOT NULL OR coalesce(s.status IN ('completed','returned','cancelled') AND s.ended_at > s.reply_due_at, false)))::int, (s.role = 'lead' AND s.reply_working_seconds IS NOT NULL)::int, (CASE WHEN s.role = 'lead' THEN coalesce(s.reply_working_seconds, 0) ELSE 0 END)::bigint, 0, 0, 0, 0, (s.role = 'lead')::int, (s.role = 'lead' AND s.status = 'returned')::int, coalesce(s.return_status = 'denied', false)::int, 0, 0, 0, 0, (s.role = 'lead' AND coalesce(s.contacted_on_time, false))::int, (s.role = 'lead' AND (s.contacted_on_time IS NOT NULL OR coalesce(s.contacted_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.contact_due_at, false)))::int, (s.role = 'lead' AND coalesce(s.staged_on_time, false))::int, (s.role = 'lead' AND (s.staged_on_time IS NOT NULL OR coalesce(s.staged_replied_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.staged_due_at, false)))::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[], NULL)
        FROM assignments s WHERE s.appeal_id = NEW.id;
      PERFORM report_put(report_day(OLD.created_at), v.department_id, OLD.category_code, OLD.district, OLD.channel, NULL, ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (v.level = 'supervision')::int, (v.level = 'supervision' AND coalesce(v.answered_on_time, false))::int, (v.level = 'supervision' AND (v.answered_at IS NOT NULL OR v.escalated_at IS NOT NULL))::int, (v.level = 'notice')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[])
        FROM supervisions v WHERE v.appeal_id = OLD.id;
      PERFORM report_put(report_day(NEW.created_at), v.department_id, NEW.category_code, NEW.district, NEW.channel, ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (v.level = 'supervision')::int, (v.level = 'supervision' AND coalesce(v.answered_on_time, false))::int, (v.level = 'supervision' AND (v.answered_at IS NOT NULL OR v.escalated_at IS NOT NULL))::int, (v.level = 'notice')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[], NULL)
        FROM supervisions v WHERE v.appeal_id = NEW.id;
      PERFORM report_put(report_day(OLD.created_at), p.department_id, OLD.category_code, OLD.district, OLD.channel, NULL, ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (p.status = 'open')::int, (p.status = 'open' AND p.overdue_fired_at IS NOT NULL)::int, coalesce(p.fulfilled_on_time, false)::int, (p.fulfilled_at IS NOT NULL OR p.overdue_fired_at IS NOT NULL)::int, (p.status = 'confirmed' AND coalesce(p.confirmed_resolved, false))::int, 0, 0]::bigint[])
        FROM plans p WHERE p.appeal_id = OLD.id;
      PERFORM report_put(report_day(NEW.created_at), p.department_id, NEW.category_code, NEW.district, NEW.channel, ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (p.status = 'open')::int, (p.status = 'open' AND p.overdue_fired_at IS NOT NULL)::int, coalesce(p.fulfilled_on_time, false)::int, (p.fulfilled_at IS NOT NULL OR p.overdue_fired_at IS NOT NULL)::int, (p.status = 'confirmed' AND coalesce(p.confirmed_resolved, false))::int, 0, 0]::bigint[], NULL)
        FROM plans p WHERE p.appeal_id = NEW.id;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM report_put(report_day(OLD.created_at), OLD.lead_department_id, OLD.category_code, OLD.district, OLD.channel, NULL, o);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM report_put(report_day(NEW.created_at), NEW.lead_department_id, NEW.category_code, NEW.district, NEW.channel, n, NULL);
  END IF;
  RETURN NULL;
END $$`,
  },
  {
    kind: 'function',
    name: 'report_assignments_delta',
    sql: `
CREATE OR REPLACE FUNCTION report_assignments_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o bigint[]; n bigint[]; ap record;
BEGIN
  IF TG_OP <> 'INSERT' THEN o := ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, coalesce(OLD.ack_on_time, false)::int, (OLD.ack_on_time IS NOT NULL OR coalesce(OLD.acknowledged_at IS NULL AND OLD.status IN ('completed','returned','cancelled') AND OLD.ended_at > OLD.ack_due_at, false))::int, (OLD.role = 'lead' AND coalesce(OLD.reply_on_time, false))::int, (OLD.role = 'lead' AND (OLD.reply_on_time IS NOT NULL OR coalesce(OLD.status IN ('completed','returned','cancelled') AND OLD.ended_at > OLD.reply_due_at, false)))::int, (OLD.role = 'lead' AND OLD.reply_working_seconds IS NOT NULL)::int, (CASE WHEN OLD.role = 'lead' THEN coalesce(OLD.reply_working_seconds, 0) ELSE 0 END)::bigint, 0, 0, 0, 0, (OLD.role = 'lead')::int, (OLD.role = 'lead' AND OLD.status = 'returned')::int, coalesce(OLD.return_status = 'denied', false)::int, 0, 0, 0, 0, (OLD.role = 'lead' AND coalesce(OLD.contacted_on_time, false))::int, (OLD.role = 'lead' AND (OLD.contacted_on_time IS NOT NULL OR coalesce(OLD.contacted_at IS NULL AND OLD.status IN ('completed','returned','cancelled') AND OLD.ended_at > OLD.contact_due_at, false)))::int, (OLD.role = 'lead' AND coalesce(OLD.staged_on_time, false))::int, (OLD.role = 'lead' AND (OLD.staged_on_time IS NOT NULL OR coalesce(OLD.staged_replied_at IS NULL AND OLD.status IN ('completed','returned','cancelled') AND OLD.ended_at > OLD.staged_due_at, false)))::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[]; END IF;
  IF TG_OP <> 'DELETE' THEN n := ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, coalesce(NEW.ack_on_time, false)::int, (NEW.ack_on_time IS NOT NULL OR coalesce(NEW.acknowledged_at IS NULL AND NEW.status IN ('completed','returned','cancelled') AND NEW.ended_at > NEW.ack_due_at, false))::int, (NEW.role = 'lead' AND coalesce(NEW.reply_on_time, false))::int, (NEW.role = 'lead' AND (NEW.reply_on_time IS NOT NULL OR coalesce(NEW.status IN ('completed','returned','cancelled') AND NEW.ended_at > NEW.reply_due_at, false)))::int, (NEW.role = 'lead' AND NEW.reply_working_seconds IS NOT NULL)::int, (CASE WHEN NEW.role = 'lead' THEN coalesce(NEW.reply_working_seconds, 0) ELSE 0 END)::bigint, 0, 0, 0, 0, (NEW.role = 'lead')::int, (NEW.role = 'lead' AND NEW.status = 'returned')::int, coalesce(NEW.return_status = 'denied', false)::int, 0, 0, 0, 0, (NEW.role = 'lead' AND coalesce(NEW.contacted_on_time, false))::int, (NEW.role = 'lead' AND (NEW.contacted_on_time IS NOT NULL OR coalesce(NEW.contacted_at IS NULL AND NEW.status IN ('completed','returned','cancelled') AND NEW.ended_at > NEW.contact_due_at, false)))::int, (NEW.role = 'lead' AND coalesce(NEW.staged_on_time, false))::int, (NEW.role = 'lead' AND (NEW.staged_on_time IS NOT NULL OR coalesce(NEW.staged_replied_at IS NULL AND NEW.status IN ('completed','returned','cancelled') AND NEW.ended_at > NEW.staged_due_at, false)))::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[]; END IF;
  IF TG_OP = 'UPDATE' AND OLD.appeal_id = NEW.appeal_id AND OLD.department_id IS NOT DISTINCT FROM NEW.department_id THEN
    IF o = n THEN RETURN NULL; END IF;
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, o);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND o <> ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[] THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = OLD.appeal_id;
    PERFORM report_put(report_day(ap.created_at), OLD.department_id, ap.category_code, ap.district, ap.channel, NULL, o);
  END IF;
  IF TG_OP <> 'DELETE' AND n <> ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[] THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, NULL);
  END IF;
  RETURN NULL;
END $$`,
  },
  {
    kind: 'function',
    name: 'report_supervisions_delta',
    sql: `
CREATE OR REPLACE FUNCTION report_supervisions_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o bigint[]; n bigint[]; ap record;
BEGIN
  IF TG_OP <> 'INSERT' THEN o := ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (OLD.level = 'supervision')::int, (OLD.level = 'supervision' AND coalesce(OLD.answered_on_time, false))::int, (OLD.level = 'supervision' AND (OLD.answered_at IS NOT NULL OR OLD.escalated_at IS NOT NULL))::int, (OLD.level = 'notice')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[]; END IF;
  IF TG_OP <> 'DELETE' THEN n := ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (NEW.level = 'supervision')::int, (NEW.level = 'supervision' AND coalesce(NEW.answered_on_time, false))::int, (NEW.level = 'supervision' AND (NEW.answered_at IS NOT NULL OR NEW.escalated_at IS NOT NULL))::int, (NEW.level = 'notice')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[]; END IF;
  IF TG_OP = 'UPDATE' AND OLD.appeal_id = NEW.appeal_id AND OLD.department_id IS NOT DISTINCT FROM NEW.department_id THEN
    IF o = n THEN RETURN NULL; END IF;
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, o);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND o <> ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[] THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = OLD.appeal_id;
    PERFORM report_put(report_day(ap.created_at), OLD.department_id, ap.category_code, ap.district, ap.channel, NULL, o);
  END IF;
  IF TG_OP <> 'DELETE' AND n <> ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[] THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, NULL);
  END IF;
  RETURN NULL;
END $$`,
  },
  {
    kind: 'function',
    name: 'report_plans_delta',
    sql: `
CREATE OR REPLACE FUNCTION report_plans_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o bigint[]; n bigint[]; ap record;
BEGIN
  IF TG_OP <> 'INSERT' THEN o := ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (OLD.status = 'open')::int, (OLD.status = 'open' AND OLD.overdue_fired_at IS NOT NULL)::int, coalesce(OLD.fulfilled_on_time, false)::int, (OLD.fulfilled_at IS NOT NULL OR OLD.overdue_fired_at IS NOT NULL)::int, (OLD.status = 'confirmed' AND coalesce(OLD.confirmed_resolved, false))::int, 0, 0]::bigint[]; END IF;
  IF TG_OP <> 'DELETE' THEN n := ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (NEW.status = 'open')::int, (NEW.status = 'open' AND NEW.overdue_fired_at IS NOT NULL)::int, coalesce(NEW.fulfilled_on_time, false)::int, (NEW.fulfilled_at IS NOT NULL OR NEW.overdue_fired_at IS NOT NULL)::int, (NEW.status = 'confirmed' AND coalesce(NEW.confirmed_resolved, false))::int, 0, 0]::bigint[]; END IF;
  IF TG_OP = 'UPDATE' AND OLD.appeal_id = NEW.appeal_id AND OLD.department_id IS NOT DISTINCT FROM NEW.department_id THEN
    IF o = n THEN RETURN NULL; END IF;
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, o);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND o <> ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[] THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = OLD.appeal_id;
    PERFORM report_put(report_day(ap.created_at), OLD.department_id, ap.category_code, ap.district, ap.channel, NULL, o);
  END IF;
  IF TG_OP <> 'DELETE' AND n <> ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::bigint[] THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, NULL);
  END IF;
  RETURN NULL;
END $$`,
  },
  {
    kind: 'function',
    name: 'report_fold',
    sql: `
CREATE OR REPLACE FUNCTION report_fold() RETURNS bigint LANGUAGE sql AS $$
  WITH moved AS (DELETE FROM report_deltas RETURNING *),
  full_up AS (
    INSERT INTO report_rollup_full AS t (day, department_id, category_code, district, channel, received, rejected, withdrawn, merged, closed, closed_first, rated, satisfied, resolved, ack_on_time, ack_due, reply_on_time, reply_due, replied_lead, reply_working_seconds, rated_all, satisfied_all, assessment_appeals, assessment_appeals_approved, lead_dispatched, lead_returned, returns_denied, supervisions, supervisions_answered_on_time, supervisions_answer_due, notices, contact_on_time, contact_due, staged_on_time, staged_due, contact_asked, contact_confirmed, planned, plans_open, plans_overdue, plans_fulfilled_on_time, plans_fulfil_due, plans_confirmed_resolved, on_spot, on_spot_cited)
    SELECT day, department_id, category_code, district, channel, sum(received), sum(rejected), sum(withdrawn), sum(merged), sum(closed), sum(closed_first), sum(rated), sum(satisfied), sum(resolved), sum(ack_on_time), sum(ack_due), sum(reply_on_time), sum(reply_due), sum(replied_lead), sum(reply_working_seconds), sum(rated_all), sum(satisfied_all), sum(assessment_appeals), sum(assessment_appeals_approved), sum(lead_dispatched), sum(lead_returned), sum(returns_denied), sum(supervisions), sum(supervisions_answered_on_time), sum(supervisions_answer_due), sum(notices), sum(contact_on_time), sum(contact_due), sum(staged_on_time), sum(staged_due), sum(contact_asked), sum(contact_confirmed), sum(planned), sum(plans_open), sum(plans_overdue), sum(plans_fulfilled_on_time), sum(plans_fulfil_due), sum(plans_confirmed_resolved), sum(on_spot), sum(on_spot_cited) FROM moved
    GROUP BY day, department_id, category_code, district, channel
    ON CONFLICT (day, department_id, category_code, district, channel) DO UPDATE SET received = t.received + EXCLUDED.received, rejected = t.rejected + EXCLUDED.rejected, withdrawn = t.withdrawn + EXCLUDED.withdrawn, merged = t.merged + EXCLUDED.merged, closed = t.closed + EXCLUDED.closed, closed_first = t.closed_first + EXCLUDED.closed_first, rated = t.rated + EXCLUDED.rated, satisfied = t.satisfied + EXCLUDED.satisfied, resolved = t.resolved + EXCLUDED.resolved, ack_on_time = t.ack_on_time + EXCLUDED.ack_on_time, ack_due = t.ack_due + EXCLUDED.ack_due, reply_on_time = t.reply_on_time + EXCLUDED.reply_on_time, reply_due = t.reply_due + EXCLUDED.reply_due, replied_lead = t.replied_lead + EXCLUDED.replied_lead, reply_working_seconds = t.reply_working_seconds + EXCLUDED.reply_working_seconds, rated_all = t.rated_all + EXCLUDED.rated_all, satisfied_all = t.satisfied_all + EXCLUDED.satisfied_all, assessment_appeals = t.assessment_appeals + EXCLUDED.assessment_appeals, assessment_appeals_approved = t.assessment_appeals_approved + EXCLUDED.assessment_appeals_approved, lead_dispatched = t.lead_dispatched + EXCLUDED.lead_dispatched, lead_returned = t.lead_returned + EXCLUDED.lead_returned, returns_denied = t.returns_denied + EXCLUDED.returns_denied, supervisions = t.supervisions + EXCLUDED.supervisions, supervisions_answered_on_time = t.supervisions_answered_on_time + EXCLUDED.supervisions_answered_on_time, supervisions_answer_due = t.supervisions_answer_due + EXCLUDED.supervisions_answer_due, notices = t.notices + EXCLUDED.notices, contact_on_time = t.contact_on_time + EXCLUDED.contact_on_time, contact_due = t.contact_due + EXCLUDED.contact_due, staged_on_time = t.staged_on_time + EXCLUDED.staged_on_time, staged_due = t.staged_due + EXCLUDED.staged_due, contact_asked = t.contact_asked + EXCLUDED.contact_asked, contact_confirmed = t.contact_confirmed + EXCLUDED.contact_confirmed, planned = t.planned + EXCLUDED.planned, plans_open = t.plans_open + EXCLUDED.plans_open, plans_overdue = t.plans_overdue + EXCLUDED.plans_overdue, plans_fulfilled_on_time = t.plans_fulfilled_on_time + EXCLUDED.plans_fulfilled_on_time, plans_fulfil_due = t.plans_fulfil_due + EXCLUDED.plans_fulfil_due, plans_confirmed_resolved = t.plans_confirmed_resolved + EXCLUDED.plans_confirmed_resolved, on_spot = t.on_spot + EXCLUDED.on_spot, on_spot_cited = t.on_spot_cited + EXCLUDED.on_spot_cited
    RETURNING 1
  ),
  dim_up AS (
    INSERT INTO report_rollup_dim AS t (day, dim, dim_value, received, rejected, withdrawn, merged, closed, closed_first, rated, satisfied, resolved, ack_on_time, ack_due, reply_on_time, reply_due, replied_lead, reply_working_seconds, rated_all, satisfied_all, assessment_appeals, assessment_appeals_approved, lead_dispatched, lead_returned, returns_denied, supervisions, supervisions_answered_on_time, supervisions_answer_due, notices, contact_on_time, contact_due, staged_on_time, staged_due, contact_asked, contact_confirmed, planned, plans_open, plans_overdue, plans_fulfilled_on_time, plans_fulfil_due, plans_confirmed_resolved, on_spot, on_spot_cited) 
  SELECT day,
    CASE WHEN GROUPING(department_id) = 0 THEN 'department' WHEN GROUPING(category_code) = 0 THEN 'category'
         WHEN GROUPING(district) = 0 THEN 'district' WHEN GROUPING(channel) = 0 THEN 'channel' ELSE 'all' END,
    coalesce(department_id::text, category_code, district, channel, ''),
    sum(received), sum(rejected), sum(withdrawn), sum(merged), sum(closed), sum(closed_first), sum(rated), sum(satisfied), sum(resolved), sum(ack_on_time), sum(ack_due), sum(reply_on_time), sum(reply_due), sum(replied_lead), sum(reply_working_seconds), sum(rated_all), sum(satisfied_all), sum(assessment_appeals), sum(assessment_appeals_approved), sum(lead_dispatched), sum(lead_returned), sum(returns_denied), sum(supervisions), sum(supervisions_answered_on_time), sum(supervisions_answer_due), sum(notices), sum(contact_on_time), sum(contact_due), sum(staged_on_time), sum(staged_due), sum(contact_asked), sum(contact_confirmed), sum(planned), sum(plans_open), sum(plans_overdue), sum(plans_fulfilled_on_time), sum(plans_fulfil_due), sum(plans_confirmed_resolved), sum(on_spot), sum(on_spot_cited)
  FROM moved
  GROUP BY GROUPING SETS ((day), (day, department_id), (day, category_code), (day, district), (day, channel))
    ON CONFLICT (day, dim, dim_value) DO UPDATE SET received = t.received + EXCLUDED.received, rejected = t.rejected + EXCLUDED.rejected, withdrawn = t.withdrawn + EXCLUDED.withdrawn, merged = t.merged + EXCLUDED.merged, closed = t.closed + EXCLUDED.closed, closed_first = t.closed_first + EXCLUDED.closed_first, rated = t.rated + EXCLUDED.rated, satisfied = t.satisfied + EXCLUDED.satisfied, resolved = t.resolved + EXCLUDED.resolved, ack_on_time = t.ack_on_time + EXCLUDED.ack_on_time, ack_due = t.ack_due + EXCLUDED.ack_due, reply_on_time = t.reply_on_time + EXCLUDED.reply_on_time, reply_due = t.reply_due + EXCLUDED.reply_due, replied_lead = t.replied_lead + EXCLUDED.replied_lead, reply_working_seconds = t.reply_working_seconds + EXCLUDED.reply_working_seconds, rated_all = t.rated_all + EXCLUDED.rated_all, satisfied_all = t.satisfied_all + EXCLUDED.satisfied_all, assessment_appeals = t.assessment_appeals + EXCLUDED.assessment_appeals, assessment_appeals_approved = t.assessment_appeals_approved + EXCLUDED.assessment_appeals_approved, lead_dispatched = t.lead_dispatched + EXCLUDED.lead_dispatched, lead_returned = t.lead_returned + EXCLUDED.lead_returned, returns_denied = t.returns_denied + EXCLUDED.returns_denied, supervisions = t.supervisions + EXCLUDED.supervisions, supervisions_answered_on_time = t.supervisions_answered_on_time + EXCLUDED.supervisions_answered_on_time, supervisions_answer_due = t.supervisions_answer_due + EXCLUDED.supervisions_answer_due, notices = t.notices + EXCLUDED.notices, contact_on_time = t.contact_on_time + EXCLUDED.contact_on_time, contact_due = t.contact_due + EXCLUDED.contact_due, staged_on_time = t.staged_on_time + EXCLUDED.staged_on_time, staged_due = t.staged_due + EXCLUDED.staged_due, contact_asked = t.contact_asked + EXCLUDED.contact_asked, contact_confirmed = t.contact_confirmed + EXCLUDED.contact_confirmed, planned = t.planned + EXCLUDED.planned, plans_open = t.plans_open + EXCLUDED.plans_open, plans_overdue = t.plans_overdue + EXCLUDED.plans_overdue, plans_fulfilled_on_time = t.plans_fulfilled_on_time + EXCLUDED.plans_fulfilled_on_time, plans_fulfil_due = t.plans_fulfil_due + EXCLUDED.plans_fulfil_due, plans_confirmed_resolved = t.plans_confirmed_resolved + EXCLUDED.plans_confirmed_resolved, on_spot = t.on_spot + EXCLUDED.on_spot, on_spot_cited = t.on_spot_cited + EXCLUDED.on_spot_cited
    RETURNING 1
  )
  SELECT count(*) + 0 * (SELECT count(*) FROM full_up) + 0 * (SELECT count(*) FROM dim_up) FROM moved
$$`,
  },
  {
    kind: 'function',
    name: 'report_rebuild_rollups',
    sql: `
CREATE OR REPLACE FUNCTION report_rebuild_rollups() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  LOCK TABLE report_deltas, report_rollup_full, report_rollup_dim IN ACCESS EXCLUSIVE MODE;
  TRUNCATE report_deltas, report_rollup_full, report_rollup_dim;
  INSERT INTO report_rollup_full (day, department_id, category_code, district, channel, received, rejected, withdrawn, merged, closed, closed_first, rated, satisfied, resolved, ack_on_time, ack_due, reply_on_time, reply_due, replied_lead, reply_working_seconds, rated_all, satisfied_all, assessment_appeals, assessment_appeals_approved, lead_dispatched, lead_returned, returns_denied, supervisions, supervisions_answered_on_time, supervisions_answer_due, notices, contact_on_time, contact_due, staged_on_time, staged_due, contact_asked, contact_confirmed, planned, plans_open, plans_overdue, plans_fulfilled_on_time, plans_fulfil_due, plans_confirmed_resolved, on_spot, on_spot_cited)
  SELECT day, department_id, category_code, district, channel, sum(received), sum(rejected), sum(withdrawn), sum(merged), sum(closed), sum(closed_first), sum(rated), sum(satisfied), sum(resolved), sum(ack_on_time), sum(ack_due), sum(reply_on_time), sum(reply_due), sum(replied_lead), sum(reply_working_seconds), sum(rated_all), sum(satisfied_all), sum(assessment_appeals), sum(assessment_appeals_approved), sum(lead_dispatched), sum(lead_returned), sum(returns_denied), sum(supervisions), sum(supervisions_answered_on_time), sum(supervisions_answer_due), sum(notices), sum(contact_on_time), sum(contact_due), sum(staged_on_time), sum(staged_due), sum(contact_asked), sum(contact_confirmed), sum(planned), sum(plans_open), sum(plans_overdue), sum(plans_fulfilled_on_time), sum(plans_fulfil_due), sum(plans_confirmed_resolved), sum(on_spot), sum(on_spot_cited) FROM (
    SELECT report_day(r.created_at) AS day, coalesce(r.lead_department_id, '00000000-0000-0000-0000-000000000000'::uuid) AS department_id, r.category_code,
      coalesce(r.district, '') AS district, r.channel, 1 AS received, (r.status = 'rejected')::int AS rejected, (r.status = 'withdrawn')::int AS withdrawn, (r.status = 'merged')::int AS merged, (r.status = 'closed')::int AS closed, (r.status = 'closed' AND r.reopen_count = 0)::int AS closed_first, (r.latest_satisfaction IS NOT NULL AND coalesce(r.latest_survey_valid, true))::int AS rated, coalesce(r.latest_satisfaction IN ('satisfied','basically_satisfied') AND coalesce(r.latest_survey_valid, true), false)::int AS satisfied, (r.latest_satisfaction IS NOT NULL AND coalesce(r.latest_resolved, false) AND coalesce(r.latest_survey_valid, true))::int AS resolved, 0 AS ack_on_time, 0 AS ack_due, 0 AS reply_on_time, 0 AS reply_due, 0 AS replied_lead, 0 AS reply_working_seconds, (r.latest_satisfaction IS NOT NULL)::int AS rated_all, coalesce(r.latest_satisfaction IN ('satisfied','basically_satisfied'), false)::int AS satisfied_all, coalesce(r.assessment_appeals, 0)::int AS assessment_appeals, coalesce(r.assessment_appeals_approved, 0)::int AS assessment_appeals_approved, 0 AS lead_dispatched, 0 AS lead_returned, 0 AS returns_denied, 0 AS supervisions, 0 AS supervisions_answered_on_time, 0 AS supervisions_answer_due, 0 AS notices, 0 AS contact_on_time, 0 AS contact_due, 0 AS staged_on_time, 0 AS staged_due, (r.latest_satisfaction IS NOT NULL AND r.latest_contacted IS NOT NULL AND coalesce(r.latest_survey_valid, true))::int AS contact_asked, (r.latest_satisfaction IS NOT NULL AND coalesce(r.latest_contacted, false) AND coalesce(r.latest_survey_valid, true))::int AS contact_confirmed, 0 AS planned, 0 AS plans_open, 0 AS plans_overdue, 0 AS plans_fulfilled_on_time, 0 AS plans_fulfil_due, 0 AS plans_confirmed_resolved, (r.resolved_on_spot AND r.status NOT IN ('rejected','withdrawn','merged'))::int AS on_spot, (r.resolved_on_spot AND r.status NOT IN ('rejected','withdrawn','merged') AND coalesce(cardinality(r.knowledge_entry_ids), 0) > 0)::int AS on_spot_cited
    FROM appeals r
    UNION ALL
    SELECT report_day(r.created_at), s.department_id, r.category_code, coalesce(r.district, ''), r.channel,
      0, 0, 0, 0, 0, 0, 0, 0, 0, coalesce(s.ack_on_time, false)::int, (s.ack_on_time IS NOT NULL OR coalesce(s.acknowledged_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.ack_due_at, false))::int, (s.role = 'lead' AND coalesce(s.reply_on_time, false))::int, (s.role = 'lead' AND (s.reply_on_time IS NOT NULL OR coalesce(s.status IN ('completed','returned','cancelled') AND s.ended_at > s.reply_due_at, false)))::int, (s.role = 'lead' AND s.reply_working_seconds IS NOT NULL)::int, (CASE WHEN s.role = 'lead' THEN coalesce(s.reply_working_seconds, 0) ELSE 0 END)::bigint, 0, 0, 0, 0, (s.role = 'lead')::int, (s.role = 'lead' AND s.status = 'returned')::int, coalesce(s.return_status = 'denied', false)::int, 0, 0, 0, 0, (s.role = 'lead' AND coalesce(s.contacted_on_time, false))::int, (s.role = 'lead' AND (s.contacted_on_time IS NOT NULL OR coalesce(s.contacted_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.contact_due_at, false)))::int, (s.role = 'lead' AND coalesce(s.staged_on_time, false))::int, (s.role = 'lead' AND (s.staged_on_time IS NOT NULL OR coalesce(s.staged_replied_at IS NULL AND s.status IN ('completed','returned','cancelled') AND s.ended_at > s.staged_due_at, false)))::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM assignments s JOIN appeals r ON r.id = s.appeal_id
    UNION ALL
    SELECT report_day(r.created_at), coalesce(v.department_id, '00000000-0000-0000-0000-000000000000'::uuid), r.category_code, coalesce(r.district, ''), r.channel,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (v.level = 'supervision')::int, (v.level = 'supervision' AND coalesce(v.answered_on_time, false))::int, (v.level = 'supervision' AND (v.answered_at IS NOT NULL OR v.escalated_at IS NOT NULL))::int, (v.level = 'notice')::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM supervisions v JOIN appeals r ON r.id = v.appeal_id
    UNION ALL
    SELECT report_day(r.created_at), p.department_id, r.category_code, coalesce(r.district, ''), r.channel,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (p.status = 'open')::int, (p.status = 'open' AND p.overdue_fired_at IS NOT NULL)::int, coalesce(p.fulfilled_on_time, false)::int, (p.fulfilled_at IS NOT NULL OR p.overdue_fired_at IS NOT NULL)::int, (p.status = 'confirmed' AND coalesce(p.confirmed_resolved, false))::int, 0, 0
    FROM plans p JOIN appeals r ON r.id = p.appeal_id
  ) x GROUP BY day, department_id, category_code, district, channel;
  GET DIAGNOSTICS n = ROW_COUNT;
  INSERT INTO report_rollup_dim (day, dim, dim_value, received, rejected, withdrawn, merged, closed, closed_first, rated, satisfied, resolved, ack_on_time, ack_due, reply_on_time, reply_due, replied_lead, reply_working_seconds, rated_all, satisfied_all, assessment_appeals, assessment_appeals_approved, lead_dispatched, lead_returned, returns_denied, supervisions, supervisions_answered_on_time, supervisions_answer_due, notices, contact_on_time, contact_due, staged_on_time, staged_due, contact_asked, contact_confirmed, planned, plans_open, plans_overdue, plans_fulfilled_on_time, plans_fulfil_due, plans_confirmed_resolved, on_spot, on_spot_cited) 
  SELECT day,
    CASE WHEN GROUPING(department_id) = 0 THEN 'department' WHEN GROUPING(category_code) = 0 THEN 'category'
         WHEN GROUPING(district) = 0 THEN 'district' WHEN GROUPING(channel) = 0 THEN 'channel' ELSE 'all' END,
    coalesce(department_id::text, category_code, district, channel, ''),
    sum(received), sum(rejected), sum(withdrawn), sum(merged), sum(closed), sum(closed_first), sum(rated), sum(satisfied), sum(resolved), sum(ack_on_time), sum(ack_due), sum(reply_on_time), sum(reply_due), sum(replied_lead), sum(reply_working_seconds), sum(rated_all), sum(satisfied_all), sum(assessment_appeals), sum(assessment_appeals_approved), sum(lead_dispatched), sum(lead_returned), sum(returns_denied), sum(supervisions), sum(supervisions_answered_on_time), sum(supervisions_answer_due), sum(notices), sum(contact_on_time), sum(contact_due), sum(staged_on_time), sum(staged_due), sum(contact_asked), sum(contact_confirmed), sum(planned), sum(plans_open), sum(plans_overdue), sum(plans_fulfilled_on_time), sum(plans_fulfil_due), sum(plans_confirmed_resolved), sum(on_spot), sum(on_spot_cited)
  FROM report_rollup_full
  GROUP BY GROUPING SETS ((day), (day, department_id), (day, category_code), (day, district), (day, channel));
  RETURN n;
END $$`,
  },
  {
    kind: 'function',
    name: 'report_open_assignment',
    sql: `
CREATE OR REPLACE FUNCTION report_open_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.ack_due_at = NEW.ack_due_at
     AND OLD.reply_due_at = NEW.reply_due_at AND OLD.department_id = NEW.department_id AND OLD.role = NEW.role
     AND OLD.appeal_id = NEW.appeal_id
     AND OLD.contact_due_at IS NOT DISTINCT FROM NEW.contact_due_at AND OLD.contacted_at IS NOT DISTINCT FROM NEW.contacted_at
     AND OLD.staged_due_at IS NOT DISTINCT FROM NEW.staged_due_at
     AND OLD.staged_replied_at IS NOT DISTINCT FROM NEW.staged_replied_at THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' OR NEW.status NOT IN ('dispatched','in_progress') THEN
    IF TG_OP <> 'INSERT' THEN DELETE FROM report_open_assignments WHERE assignment_id = OLD.id; END IF;
    RETURN NULL;
  END IF;
  INSERT INTO report_open_assignments (assignment_id, appeal_id, created_at, department_id, category_code, district,
    channel, role, status, ack_due_at, reply_due_at, contact_due_at, staged_due_at)
  SELECT NEW.id, a.id, a.created_at, NEW.department_id, a.category_code, coalesce(a.district, ''), a.channel,
    NEW.role, NEW.status, NEW.ack_due_at, NEW.reply_due_at, CASE WHEN NEW.contacted_at IS NULL THEN NEW.contact_due_at END, CASE WHEN NEW.staged_replied_at IS NULL THEN NEW.staged_due_at END
  FROM appeals a WHERE a.id = NEW.appeal_id
  ON CONFLICT (assignment_id) DO UPDATE SET appeal_id = EXCLUDED.appeal_id, created_at = EXCLUDED.created_at,
    department_id = EXCLUDED.department_id, category_code = EXCLUDED.category_code, district = EXCLUDED.district,
    channel = EXCLUDED.channel, role = EXCLUDED.role, status = EXCLUDED.status, ack_due_at = EXCLUDED.ack_due_at,
    reply_due_at = EXCLUDED.reply_due_at, contact_due_at = EXCLUDED.contact_due_at,
    staged_due_at = EXCLUDED.staged_due_at;
  RETURN NULL;
END $$`,
  },
  {
    kind: 'function',
    name: 'report_open_appeal',
    sql: `
CREATE OR REPLACE FUNCTION report_open_appeal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.created_at = NEW.created_at AND OLD.category_code = NEW.category_code
     AND OLD.district IS NOT DISTINCT FROM NEW.district AND OLD.channel = NEW.channel THEN
    RETURN NULL;
  END IF;
  UPDATE report_open_assignments SET created_at = NEW.created_at, category_code = NEW.category_code,
    district = coalesce(NEW.district, ''), channel = NEW.channel
  WHERE appeal_id = NEW.id;
  RETURN NULL;
END $$`,
  },
  {
    kind: 'function',
    name: 'report_rebuild',
    sql: `
CREATE OR REPLACE FUNCTION report_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  LOCK TABLE report_deltas, report_rollup_full, report_rollup_dim, report_open_assignments IN ACCESS EXCLUSIVE MODE;
  n := report_rebuild_rollups();
  TRUNCATE report_open_assignments;
  INSERT INTO report_open_assignments (assignment_id, appeal_id, created_at, department_id, category_code, district,
    channel, role, status, ack_due_at, reply_due_at, contact_due_at, staged_due_at)
  SELECT s.id, a.id, a.created_at, s.department_id, a.category_code, coalesce(a.district, ''), a.channel,
    s.role, s.status, s.ack_due_at, s.reply_due_at, CASE WHEN s.contacted_at IS NULL THEN s.contact_due_at END, CASE WHEN s.staged_replied_at IS NULL THEN s.staged_due_at END
  FROM assignments s JOIN appeals a ON a.id = s.appeal_id WHERE s.status IN ('dispatched','in_progress');
  RETURN n;
END $$`,
  },
  {
    kind: 'trigger',
    name: 'trg_appeals_report',
    sql: `CREATE OR REPLACE TRIGGER trg_appeals_report AFTER INSERT OR DELETE ON appeals FOR EACH ROW EXECUTE FUNCTION report_appeals_delta()`,
  },
  {
    kind: 'trigger',
    name: 'trg_appeals_report_update',
    sql: `CREATE OR REPLACE TRIGGER trg_appeals_report_update AFTER UPDATE ON appeals FOR EACH ROW WHEN ((OLD.status, OLD.reopen_count, OLD.latest_satisfaction, OLD.latest_resolved, OLD.latest_survey_valid, OLD.assessment_appeals, OLD.assessment_appeals_approved, OLD.latest_contacted, OLD.resolved_on_spot, OLD.knowledge_entry_ids, OLD.created_at, OLD.category_code, OLD.district, OLD.channel, OLD.lead_department_id) IS DISTINCT FROM (NEW.status, NEW.reopen_count, NEW.latest_satisfaction, NEW.latest_resolved, NEW.latest_survey_valid, NEW.assessment_appeals, NEW.assessment_appeals_approved, NEW.latest_contacted, NEW.resolved_on_spot, NEW.knowledge_entry_ids, NEW.created_at, NEW.category_code, NEW.district, NEW.channel, NEW.lead_department_id)) EXECUTE FUNCTION report_appeals_delta()`,
  },
  {
    kind: 'trigger',
    name: 'trg_assignments_report',
    sql: `CREATE OR REPLACE TRIGGER trg_assignments_report AFTER INSERT OR DELETE ON assignments FOR EACH ROW EXECUTE FUNCTION report_assignments_delta()`,
  },
  {
    kind: 'trigger',
    name: 'trg_assignments_report_update',
    sql: `CREATE OR REPLACE TRIGGER trg_assignments_report_update AFTER UPDATE ON assignments FOR EACH ROW WHEN ((OLD.role, OLD.status, OLD.acknowledged_at, OLD.ack_due_at, OLD.ack_on_time, OLD.reply_due_at, OLD.reply_on_time, OLD.reply_working_seconds, OLD.ended_at, OLD.return_status, OLD.contact_due_at, OLD.contacted_at, OLD.contacted_on_time, OLD.staged_due_at, OLD.staged_replied_at, OLD.staged_on_time, OLD.appeal_id, OLD.department_id) IS DISTINCT FROM (NEW.role, NEW.status, NEW.acknowledged_at, NEW.ack_due_at, NEW.ack_on_time, NEW.reply_due_at, NEW.reply_on_time, NEW.reply_working_seconds, NEW.ended_at, NEW.return_status, NEW.contact_due_at, NEW.contacted_at, NEW.contacted_on_time, NEW.staged_due_at, NEW.staged_replied_at, NEW.staged_on_time, NEW.appeal_id, NEW.department_id)) EXECUTE FUNCTION report_assignments_delta()`,
  },
  {
    kind: 'trigger',
    name: 'trg_supervisions_report',
    sql: `CREATE OR REPLACE TRIGGER trg_supervisions_report AFTER INSERT OR DELETE ON supervisions FOR EACH ROW EXECUTE FUNCTION report_supervisions_delta()`,
  },
  {
    kind: 'trigger',
    name: 'trg_supervisions_report_update',
    sql: `CREATE OR REPLACE TRIGGER trg_supervisions_report_update AFTER UPDATE ON supervisions FOR EACH ROW WHEN ((OLD.level, OLD.answered_at, OLD.answered_on_time, OLD.escalated_at, OLD.appeal_id, OLD.department_id) IS DISTINCT FROM (NEW.level, NEW.answered_at, NEW.answered_on_time, NEW.escalated_at, NEW.appeal_id, NEW.department_id)) EXECUTE FUNCTION report_supervisions_delta()`,
  },
  {
    kind: 'trigger',
    name: 'trg_plans_report',
    sql: `CREATE OR REPLACE TRIGGER trg_plans_report AFTER INSERT OR DELETE ON plans FOR EACH ROW EXECUTE FUNCTION report_plans_delta()`,
  },
  {
    kind: 'trigger',
    name: 'trg_plans_report_update',
    sql: `CREATE OR REPLACE TRIGGER trg_plans_report_update AFTER UPDATE ON plans FOR EACH ROW WHEN ((OLD.status, OLD.fulfilled_at, OLD.fulfilled_on_time, OLD.overdue_fired_at, OLD.confirmed_resolved, OLD.appeal_id, OLD.department_id) IS DISTINCT FROM (NEW.status, NEW.fulfilled_at, NEW.fulfilled_on_time, NEW.overdue_fired_at, NEW.confirmed_resolved, NEW.appeal_id, NEW.department_id)) EXECUTE FUNCTION report_plans_delta()`,
  },
  {
    kind: 'trigger',
    name: 'trg_assignments_report_open',
    sql: `CREATE OR REPLACE TRIGGER trg_assignments_report_open AFTER INSERT OR DELETE ON assignments FOR EACH ROW EXECUTE FUNCTION report_open_assignment()`,
  },
  {
    kind: 'trigger',
    name: 'trg_assignments_report_open_update',
    sql: `CREATE OR REPLACE TRIGGER trg_assignments_report_open_update AFTER UPDATE ON assignments FOR EACH ROW WHEN ((OLD.status, OLD.ack_due_at, OLD.reply_due_at, OLD.department_id, OLD.role, OLD.appeal_id, OLD.contact_due_at, OLD.contacted_at, OLD.staged_due_at, OLD.staged_replied_at) IS DISTINCT FROM (NEW.status, NEW.ack_due_at, NEW.reply_due_at, NEW.department_id, NEW.role, NEW.appeal_id, NEW.contact_due_at, NEW.contacted_at, NEW.staged_due_at, NEW.staged_replied_at)) EXECUTE FUNCTION report_open_assignment()`,
  },
  {
    kind: 'trigger',
    name: 'trg_appeals_report_open',
    sql: `CREATE OR REPLACE TRIGGER trg_appeals_report_open AFTER UPDATE ON appeals FOR EACH ROW WHEN ((OLD.created_at, OLD.category_code, OLD.district, OLD.channel) IS DISTINCT FROM (NEW.created_at, NEW.category_code, NEW.district, NEW.channel)) EXECUTE FUNCTION report_open_appeal()`,
  },
];
