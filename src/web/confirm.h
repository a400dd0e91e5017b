/*
 * confirm.h: the page that asks before an act that cannot be undone
 * (issue 20, item 2), as the GOV.UK and Government of Canada design
 * systems ask: a page of its own whose title is the question, naming
 * what the act is about (a petition by its number and title, or a
 * draft by its words), saying in plain words what will happen and what
 * cannot be undone, with one primary button that does it and a
 * "Cancel" / "Annuler" link back.  No script is needed.
 *
 * Each such act has its use case behind a POST handler.  The button on
 * the page where the act is offered is a link or a GET form to the
 * question (the handler's own URL with GET, or the form's POST when the
 * act takes fields the question must carry); the question's form posts
 * the act with confirm=yes (and the CSRF token, as every form).  The
 * handler acts only when confirm_given(): a POST without it (an old
 * form, a crafted request) is answered with the question, and nothing
 * is done.  The acts asked this way are listed in docs/internals.md.
 *
 * Every text is a catalogue key ("confirm.ACT.*", both languages) or a
 * value the renderer escapes: nothing here writes markup.
 */
#ifndef PETITIOND_CONFIRM_H
#define PETITIOND_CONFIRM_H

#include <stdbool.h>

struct err;
struct request;

enum { CONFIRM_FACTS_MAX = 6, CONFIRM_HIDDEN_MAX = 8 };

/* One line of the summary of what the act is about: a label (catalogue
 * key) and its value (plain text). */
struct confirm_fact {
    const char *label_key;
    const char *value;
};

/* A field the question's form carries to the act, besides csrf and
 * confirm (the act's name, a date typed before...). */
struct confirm_hidden {
    const char *name;
    const char *value;
};

/*
 * What a question says and where its answer goes.  Every string is
 * borrowed (the request's arena or static) until confirm_render()
 * returns.
 */
struct confirm_page {
    /* The question, as <title> and <h1> ("Withdraw petition {}?"): a
     * catalogue key whose "{}" takes name. */
    const char *title_key;
    /* What the act is about, as the question names it: "e-2829 (Foreign
     * affairs)"; NULL or "" when the question names nothing. */
    const char *name;
    /* The summary: the petition, a count, a date typed... */
    struct confirm_fact facts[CONFIRM_FACTS_MAX];
    int nfacts;
    /* Words quoted from what the act is about (a draft's prayer), or NULL. */
    const char *excerpt;
    /* What will happen: a catalogue key (one paragraph). */
    const char *what_key;
    /* What cannot be undone: a catalogue key, shown as a warning. */
    const char *undo_key;
    /* Where the confirmed form posts, and what it carries. */
    const char *action;
    struct confirm_hidden hidden[CONFIRM_HIDDEN_MAX];
    int nhidden;
    /* The primary button's label (catalogue key); danger makes it red
     * (an act that removes or ends something). */
    const char *button_key;
    bool danger;
    /* Where "Cancel" leads: the page the act was offered on. */
    const char *cancel;
};

/* The question about act, whose texts are the catalogue keys
 * "confirm.ACT.title", ".what", ".undo" and ".button", posting to
 * action, "Cancel" leading to cancel (strings borrowed); the rest empty,
 * for the caller to set. */
struct confirm_page confirm_page_for(struct request *req, const char *act, const char *action,
                                     const char *cancel);

/* Name the petition the question is about by its title, "e-2829
 * (Foreign affairs)" (web/public.h pub_title()), in the question and as
 * the first fact. */
void confirm_petition(struct confirm_page *c, const char *title);

/* Add a fact or a hidden field to c (silently ignored past the maximum,
 * which asserts in a debug build: a programming error). */
void confirm_fact(struct confirm_page *c, const char *label_key, const char *value);
void confirm_hidden(struct confirm_page *c, const char *name, const char *value);

/* Render c (template "confirm") with status (200 for a GET, or for a
 * POST that came without confirm=yes).  0 or the renderer's error in e. */
int confirm_render(struct request *req, int status, const struct confirm_page *c, struct err *e);

/* Whether the posted form came from a question: confirm=yes. */
bool confirm_given(struct request *req);

#endif
