/*
 * image_options.c: the options of images: --image, --keep, --commit.
 *
 * From lesson06-unionfs on.
 */
#include "run.h"

/* The upper layer that --keep keeps and --commit writes exists only on an
   overlay; and the root is one or the other. */
static void
image_check(struct config *c)
{
    if ((c->keep || c->commit != NULL) && c->rootfs != NULL)
        bad_usage("--keep and --commit need an image, not --rootfs");
    if (c->image != NULL && c->rootfs != NULL)
        bad_usage("--image and --rootfs: one root, not both");
}

static const struct opt image_rows[] = {
    {"image", 0, "MANIFEST",
     "the root is this image's layers, under a\n"
     "writable one (default: build/image/manifest)",
     opt_string, FIELD(image)},
    {"keep", 0, NULL, "keep the writable layer after exit", opt_flag,
     FIELD(keep)},
    {"commit", 0, "OUT.tar", "write it as a new layer, whiteouts and all",
     opt_string, FIELD(commit)},
    {0},
};
const struct opt_table image_opts = {
    .heading = "Images (overlayfs):", .rows = image_rows, .check = image_check};
