/* libFuzzer target: the .qmslint.yml loader (YAML parse with caps, then validation). The
 * loader reads a file, so each input is written to one private temporary file first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *config_path(void)
{
    static char path[64];
    if (!path[0]) {
        char dir[] = "/tmp/qms-fuzz-config-XXXXXX";
        if (!mkdtemp(dir))
            return NULL;
        snprintf(path, sizeof path, "%s/.qmslint.yml", dir);
    }
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = config_path();
    struct qms_config *cfg = NULL;
    struct qms_err err;
    FILE *f;
    if (!path || !(f = fopen(path, "wb")))
        return 0;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return 0;
    }
    fclose(f);
    if (qms_config_load(&cfg, path, &err) == 0) {
        if (cfg->n_excludes)
            (void)qms_config_excluded(cfg, "docs/QP-001.md");
        (void)qms_config_rule(cfg, "structure/heading-skip");
        qms_config_free(cfg);
    }
    return 0;
}
