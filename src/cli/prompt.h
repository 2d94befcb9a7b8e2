/*
 * prompt.h (internal) - one question of `vmctr init` on a terminal: the
 * field's help text from the field table, its allowed values as a numbered
 * menu, and the answer read back, checked like `--set` and stored in the
 * profile values. Which question comes next is cmd_init.c's business.
 *
 * Questions are written to `out` (stderr, so stdout can carry the profile);
 * answers are read line by line from `in` (the terminal, in its normal line
 * mode, so the user's erase and kill keys work). Wrong input is explained
 * and the question asked again; it never ends the questionnaire.
 */
#ifndef VMCTR_CLI_PROMPT_H
#define VMCTR_CLI_PROMPT_H

#include <stdbool.h>
#include <stdio.h>

#include "vmctr/profile.h"

typedef struct {
    FILE *in;            /* answers */
    FILE *out;           /* questions */
    bool color;          /* bold questions, dim hints, red complaints */
    int width;           /* for laying out menus */
    const char *section; /* last section header shown (owned by the caller's strings) */
} vm_prompt;

typedef enum {
    VM_PR_ANSWER,        /* the value is stored in vals */
    VM_PR_SKIP,          /* Enter: the field stays unknown */
    VM_PR_BACK,          /* b: return to the previous question */
    VM_PR_QUIT,          /* q: stop without writing */
    VM_PR_EOF            /* end of input (Ctrl-D): stop without writing */
} vm_pr;

typedef struct {
    int index, total;    /* shown as [index/total] */
    const char *note;    /* a hint under the question (why it is asked), or NULL */
    const char *was;     /* the earlier answer when coming back to a question, or NULL;
                          * Enter keeps it, "skip" clears it */
    const char *deflt;   /* required questions: what Enter stands for, or NULL */
    bool required;       /* Enter does not skip */
    bool can_back;       /* there is a previous question */
} vm_question;

/* Asks field `id` and stores a valid answer into vals. */
vm_pr vm_prompt_ask(vm_prompt *p, vm_arena *a, vm_values *vals, int id, const vm_question *q);

/* Prints a paragraph, words wrapped at the terminal width. */
void vm_prompt_text(vm_prompt *p, const char *text);

/* Prints a line of text (already formatted) in the hint style. */
void vm_prompt_note(vm_prompt *p, const char *text);

#endif
