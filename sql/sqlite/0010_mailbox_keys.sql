-- 0010_mailbox_keys: one mailbox, one signature (issue 21, item 3; rulebook
-- 11.6 as docs/process.md amends it).  The e-mail key (src/core/email.h)
-- now folds the case of the whole address, the local part too, so
-- Zoe@Petitions.Test and zoe@petitions.test are one person.  Keys written
-- before kept the local part's case; this migration folds them, and
-- merges nothing.
--
-- In each group of rows whose keys differ only by case (one petition's
-- signatures, one draft's supporters), one row holds the lower-case key:
-- the one that already did, or else the first (lowest id).  The others
-- keep their keys as they were, capitals and all: two people's signatures
-- stay two rows, both counted as before, until the Clerk decides (the
-- Clerk's search "same mailbox as another signature", store/signing.h,
-- lists them; invalidating one is the Clerk's existing review).
--
-- So the unique indexes (petition_id, email_key) and (draft_id,
-- email_key) stay as they are and keep their promise for everything new:
-- a key written from now on is in lower case, and any spelling of a
-- grouped mailbox meets the row that holds the lower-case key (the
-- "already signed" answer).  A stored key with a capital letter is, from
-- now on, a row this migration kept apart; signatures_mailbox indexes
-- exactly those (few) rows, for the Clerk's search.
--
-- Every statement may run again on its result and changes nothing: after
-- this migration the only keys with capitals are kept-apart ones.
-- SQLite's lower() folds ASCII only, as core/email.c does; keys are ASCII.

CREATE INDEX IF NOT EXISTS signatures_mailbox ON signatures (petition_id, lower(email_key))
    WHERE email_key <> lower(email_key);

-- A key with capitals is folded unless its group has a lower-case key
-- already or an earlier row with capitals (which takes it).
UPDATE signatures SET email_key = lower(email_key)
 WHERE email_key <> lower(email_key)
   AND NOT EXISTS (SELECT 1 FROM signatures o
                    WHERE o.petition_id = signatures.petition_id
                      AND o.email_key = lower(signatures.email_key))
   AND NOT EXISTS (SELECT 1 FROM signatures o
                    WHERE o.petition_id = signatures.petition_id
                      AND o.email_key <> lower(o.email_key)
                      AND lower(o.email_key) = lower(signatures.email_key)
                      AND o.id < signatures.id);

UPDATE supporters SET email_key = lower(email_key)
 WHERE email_key <> lower(email_key)
   AND NOT EXISTS (SELECT 1 FROM supporters o
                    WHERE o.draft_id = supporters.draft_id
                      AND o.email_key = lower(supporters.email_key))
   AND NOT EXISTS (SELECT 1 FROM supporters o
                    WHERE o.draft_id = supporters.draft_id
                      AND o.email_key <> lower(o.email_key)
                      AND lower(o.email_key) = lower(supporters.email_key)
                      AND o.id < supporters.id);

-- The recipients of a mailing still being sent, listed under the old
-- keys: folded when no other recipient of the mailing folds alike, so a
-- person listed before the upgrade is the same recipient after it
-- (mailings now list signatories and supporters by the folded key: one
-- e-mail per mailbox).  Recipients alike by case stay two, as listed.
CREATE INDEX mailing_recipients_folded_0010 ON mailing_recipients (mailing_id, lower(email_key));
UPDATE mailing_recipients SET email_key = lower(email_key)
 WHERE email_key <> lower(email_key)
   AND mailing_id IN (SELECT id FROM mailings WHERE done_at IS NULL)
   AND NOT EXISTS (SELECT 1 FROM mailing_recipients o
                    WHERE o.mailing_id = mailing_recipients.mailing_id
                      AND lower(o.email_key) = lower(mailing_recipients.email_key)
                      AND o.email_key <> mailing_recipients.email_key);
DROP INDEX mailing_recipients_folded_0010;
