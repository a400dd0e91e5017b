-- 0013_mail_stops: mail to many that a signatory can stop (issue 20,
-- item 9), and the response's "Signed by" in both languages (item 8).
--
-- mail_stops: whoever followed the link to stop mail about a petition
-- (List-Unsubscribe, RFC 8058 one-click, or the link in the body): the
-- petition and the folded key of the signature's mailbox, never shown
-- to the public; every later mailing to the petition's people skips the
-- key (src/store/pg/mail.c, in the query that lists them), and the
-- Clerk's page of the petition counts the rows.  Stopping twice is one
-- row.  Erased with the petition's other personal data (retention).
--
-- mailing_recipients.signature_id: the signature a recipient was listed
-- for (the first of them), whose id and MAC make their stop link; NULL
-- for a petitioner or supporter who did not sign.
--
-- outbox.unsubscribe: the stop link of an e-mail of a mailing, sent as
-- its List-Unsubscribe header (src/mail/message.c); NULL for none.
--
-- responses.signed_by_fr, response_drafts.signed_by_fr: the signer's
-- title in French ("L'honorable ..."); NULL (every response before this)
-- shows signed_by, the English, on the French pages too.
CREATE TABLE mail_stops (
    petition_id bigint NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    email_key   text COLLATE "C" NOT NULL,         -- lower(signatures.email_key)
    stopped_at  bigint NOT NULL,
    PRIMARY KEY (petition_id, email_key)
);

ALTER TABLE mailing_recipients ADD COLUMN signature_id bigint;
ALTER TABLE outbox ADD COLUMN unsubscribe text COLLATE "C";
ALTER TABLE responses ADD COLUMN signed_by_fr text COLLATE "C";
ALTER TABLE response_drafts ADD COLUMN signed_by_fr text COLLATE "C";
