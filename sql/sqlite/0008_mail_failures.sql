-- 0008_mail_failures: what became of e-mail that could not be delivered
-- (issue 21, item 2).
--
-- The mail thread records each failed attempt on the outbox row: when
-- (last_failure_at) and what the relay answered, its reply code and text
-- (reply_code, reply; src/mail/smtp.h: the local part of any address in
-- it masked), beside last_error (what the log said).  failed_at is when a
-- message failed for good: refused permanently (5xx to its recipient or
-- to the message), its 12th attempt failed, or it cannot be formatted.  A
-- failed message is never tried again (its next_try_at is far away, as
-- before); /healthz and the Clerk's workspace count and list them, and
-- retention deletes them after the same time as sent mail.
ALTER TABLE outbox ADD COLUMN last_failure_at INTEGER;
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN reply_code INTEGER;
ALTER TABLE outbox ADD COLUMN reply TEXT;

-- Messages given up before this migration (next_try_at set to 2^62 - 1
-- after their 12th attempt) failed; when is not known: say when they were
-- queued.
UPDATE outbox SET failed_at = created_at, last_failure_at = created_at
 WHERE sent_at IS NULL AND next_try_at >= 4611686018427387903;

-- The failures of the last hour, the failed ones, the last delivery.
CREATE INDEX outbox_failures ON outbox (last_failure_at) WHERE last_failure_at IS NOT NULL;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
