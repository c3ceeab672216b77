/* The runner gives up, before any plugin code runs: every file descriptor but its socket (so a
 * plugin cannot reach what the kiosk had open), the right to gain privileges, the network and
 * starting programs (a seccomp filter: socket() and exec fail with EPERM), core dumps (they would
 * hold the family's words) and memory beyond a limit (an allocation past it fails, which GLib
 * turns into an abort: the kiosk sees a crash and restarts the runner). */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define RUNNER_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RUNNER_UNDER_ASAN 1
#endif
#endif

static gboolean
close_other_fds(int fd)
{
  if (fd != 3 && (dup2(fd, 3) < 0 || close(fd) < 0))
    return FALSE;
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0)
    return FALSE; /* stdout of the kiosk is its control channel: never the plugin's */
  for (int i = 4; i < 1024; i++)
    if (i != devnull)
      close(i);
  close(devnull);
  return TRUE;
}

static gboolean
limit(int resource, rlim_t value)
{
  struct rlimit rl = {value, value};
  return setrlimit(resource, &rl) == 0;
}

/* Calls that reach outside the process: none is needed to read documents and answer. */
static const int denied[] = {
    SCMP_SYS(socket),  SCMP_SYS(socketpair),       SCMP_SYS(connect),
    SCMP_SYS(bind),    SCMP_SYS(listen),           SCMP_SYS(accept),
    SCMP_SYS(accept4), SCMP_SYS(execve),           SCMP_SYS(execveat),
    SCMP_SYS(ptrace),  SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
};

static gboolean
deny_network_and_exec(void)
{
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx)
    return FALSE;
  gboolean ok = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(denied) && ok; i++)
    ok = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0) == 0;
  ok = ok && seccomp_load(ctx) == 0;
  seccomp_release(ctx);
  return ok;
}

int
runner_sandbox(int fd, guint memory_mb, GError **error)
{
  const char *step = NULL;
  if (!close_other_fds(fd))
    step = "closing file descriptors";
  else if (!limit(RLIMIT_CORE, 0) || !limit(RLIMIT_NOFILE, 64))
    step = "setting limits";
#ifndef RUNNER_UNDER_ASAN /* AddressSanitizer reserves terabytes of address space up front */
  else if (memory_mb && !limit(RLIMIT_DATA, (rlim_t)memory_mb << 20))
    step = "limiting memory";
#endif
  else if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    step = "giving up privileges";
  else if (!deny_network_and_exec())
    step = "installing the seccomp filter";
  if (step) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "runner sandbox: %s failed: %s", step,
                g_strerror(errno));
    return -1;
  }
  return 3;
}
