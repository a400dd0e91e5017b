-- 0005_intake: signature intake under a surge (issue 6).
--
-- The e-mail a signature causes (its confirmation link, or "you have
-- already signed") is queued in the transaction that writes the signature,
-- as before, but as a short row naming the signature: the delivery thread
-- renders subject and body from the signature and its petition when it
-- sends it.  The intake writer thus writes a few dozen bytes per e-mail
-- instead of two kilobytes, and spends no time on templates.
ALTER TABLE outbox ADD COLUMN signature_id INTEGER REFERENCES signatures (id);
