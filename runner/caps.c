/* caps.c: capabilities.  Every capability goes from all five sets
   (effective, permitted, inheritable, bounding, ambient) except the few a
   policy keeps; kept ones ride through exec in the ambient set.  Securebits
   are locked first so that uid 0 regains nothing on exec. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vow.h"

int caps_last(void)
{
	return cap_max_bits() - 1;
}

/* "net_bind_service" or "CAP_NET_BIND_SERVICE", any case. */
int caps_lookup(const char *name)
{
	char buf[64];
	if (strlen(name) >= sizeof buf - 4)
		return -1;
	snprintf(buf, sizeof buf, "%s%s", strncasecmp(name, "cap_", 4) ? "cap_" : "", name);
	for (char *c = buf; *c; c++)
		*c = tolower((unsigned char)*c);
	cap_value_t v;
	if (cap_from_name(buf, &v) || v > caps_last())
		return -1;
	return v;
}

/* The lower-case name without "cap_", in a static buffer. */
const char *caps_name(int cap)
{
	static char buf[64];
	char *n = cap_to_name(cap);
	snprintf(buf, sizeof buf, "%s", n && !strncmp(n, "cap_", 4) ? n + 4 : n ? n : "?");
	cap_free(n);
	return buf;
}

static int capget_raw(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	return syscall(SYS_capget, &h, d);
}

/* Pure: a kept capability must be one vow holds, or keeping it is a lie.
   *keep loses the ones vow lacks; the message names the first. */
const char *caps_check(uint64_t *keep)
{
	static char msg[160];
	struct __user_cap_data_struct d[2];
	if (capget_raw(d))
		return "cannot read vow's own capabilities";
	uint64_t have = d[0].permitted | (uint64_t)d[1].permitted << 32;
	const char *err = NULL;
	for (int c = 0; c < 64; c++)
		if (*keep & ~have & (1ULL << c)) {
			if (!err)
				snprintf(msg, sizeof msg, "cannot keep capability %s: vow does not hold it",
				         caps_name(c));
			err = msg;
		}
	*keep &= have;
	return err;
}

void caps_prepare(uint64_t keep, struct caps_plan *plan)
{
	struct __user_cap_data_struct d[2];
	plan->keep = keep;
	plan->last = caps_last();
	plan->privileged = !capget_raw(d) && (d[0].effective & (1u << CAP_SETPCAP));
}

/* Step: lock the securebits that make uid 0 ordinary across exec. */
int caps_securebits(const struct caps_plan *plan)
{
	if (!plan->privileged)
		return 0; /* nothing to regain: no_new_privs stops set-id and file caps */
	int bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
	           SECBIT_KEEP_CAPS_LOCKED;
	return prctl(PR_SET_SECUREBITS, bits, 0, 0, 0);
}

/* Step: drop everything not kept, from all five sets. */
int caps_drop(const struct caps_plan *plan)
{
	if (plan->privileged)
		for (int c = 0; c <= plan->last; c++)
			if (!(plan->keep & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
				return -1;
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	for (int i = 0; i < 2; i++) {
		uint32_t k = plan->keep >> (32 * i);
		d[i].effective = d[i].permitted = d[i].inheritable = k;
	}
	if (syscall(SYS_capset, &h, d))
		return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -1;
	for (int c = 0; c <= plan->last; c++)
		if ((plan->keep & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0))
			return -1;
	return 0;
}
