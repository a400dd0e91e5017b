-- 0014_form_states: a refused form's state too long for a cookie, kept
-- for its page's GET (issue 20, item 5; src/web/forms.c).
--
-- form_states: what a signed-in account typed into a form that was
-- refused, sealed by the site (XChaCha20-Poly1305: the store never reads
-- it), for the page at path; the browser's pd_form cookie names the row
-- by its random id (sealed too).  Shown only to the same account on the
-- same page before expires_at (ten minutes); deleted when the form is
-- then accepted, when the account keeps more than three, and by the
-- retention job once expired.  Gone with the account.
CREATE TABLE form_states (
    seq        INTEGER PRIMARY KEY,     -- the order they were kept in
    id         TEXT NOT NULL UNIQUE,    -- 32 random hex digits
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    state      TEXT NOT NULL,           -- sealed, base64url
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX form_states_user ON form_states (user_id, seq);
CREATE INDEX form_states_expiry ON form_states (expires_at);
