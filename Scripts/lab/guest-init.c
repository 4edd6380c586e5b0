// guest-init: /init of the Linux guest that the lab's minimal VMM (Sources/MinimalVMM) boots
// inside the lab machine. It reports what Linux sees of the machine the VMM described, then
// echoes what arrives on its serial port, and obeys a few one-byte commands.
//
// Everything it writes goes to /dev/ttyAMA0 (the VMM's PL011) in raw mode, so a byte the host
// sends arrives once through the UART's receive interrupt and is written back once. Reports are
// framed as STX (0x02) ... ETX (0x03) and hold lines "<tag> <text>"; every other byte on the
// port after the first report is an echo. The host sends only printable ASCII as echo data.
//
// Reports (MinimalVMM.docc/GuestProtocol.md):
//   INIT <uptime in ms>                          once, when init starts
//   KLOG <line>                                  kernel log lines about the GIC, ITS, timer, PSCI, SMP
//   IRQ <cpu0> <cpu1> ... <name>                 /proc/interrupts rows of arch_timer and uart-pl011
//   CPUS <list>                                  /sys/devices/system/cpu/online
//   UPTIME <ms>
//   READY                                        the end of the first report: echoing from here on
// Commands (bytes the host sends):
//   0x01  report IRQ rows and UPTIME
//   0x05  spin on every online CPU for about 200 ms of guest time (each CPU then takes its own
//         timer ticks, which an idle NO_HZ CPU does not), then report IRQ rows and UPTIME
//   0x06  report KLOG lines
//   0x10  power off (PSCI SYSTEM_OFF)
//
// Build: aarch64-linux-gnu-gcc -static -Os -Wall -Wextra -o init guest-init.c
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define STX 0x02
#define ETX 0x03
#define CMD_INTERRUPTS 0x01
#define CMD_SPIN 0x05
#define CMD_KLOG 0x06
#define CMD_POWER_OFF 0x10

static int port = 1;

// Writes all of buf, retrying short writes.
static void put(const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(port, buf, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

// A report being built: STX, lines, ETX, written with one write() so nothing interleaves.
static char report[65536];
static size_t report_len;

static void begin(void) { report_len = 0; report[report_len++] = STX; }

static void line(const char *tag, const char *text) {
    size_t need = strlen(tag) + 1 + strlen(text) + 1;
    if (report_len + need + 1 >= sizeof report) return;
    report_len += (size_t)snprintf(report + report_len, sizeof report - report_len, "%s %s\n", tag, text);
}

static void end(void) {
    report[report_len++] = ETX;
    put(report, report_len);
}

static long uptime_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void add_uptime(const char *tag) {
    char text[32];
    snprintf(text, sizeof text, "%ld", uptime_ms());
    line(tag, text);
}

// Reads a whole small file into buf (NUL-terminated); returns its length or -1.
static ssize_t slurp(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0) break;
        len += (size_t)n;
        if (len == cap - 1) break;
    }
    close(fd);
    buf[len] = 0;
    return (ssize_t)len;
}

// Adds every line of text for which keep() is true, under tag, with runs of spaces squeezed.
static void add_lines(const char *tag, char *text, int (*keep)(const char *)) {
    char *save = NULL;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!keep(l)) continue;
        char squeezed[512];
        size_t out = 0;
        int space = 1;
        for (const char *c = l; *c && out + 1 < sizeof squeezed; c++) {
            int is_space = *c == ' ' || *c == '\t';
            if (is_space && space) continue;
            squeezed[out++] = is_space ? ' ' : *c;
            space = is_space;
        }
        while (out > 0 && squeezed[out - 1] == ' ') out--;
        squeezed[out] = 0;
        line(tag, squeezed);
    }
}

static int interesting_irq(const char *l) {
    return strstr(l, "arch_timer") != NULL || strstr(l, "uart-pl011") != NULL;
}

static void add_interrupts(void) {
    static char text[16384];
    if (slurp("/proc/interrupts", text, sizeof text) < 0) { line("ERROR", "/proc/interrupts"); return; }
    add_lines("IRQ", text, interesting_irq);
}

static int interesting_klog(const char *l) {
    return strstr(l, "GIC") != NULL || strstr(l, "ITS") != NULL || strstr(l, "arch_timer") != NULL ||
           strstr(l, "psci") != NULL || strstr(l, "smp:") != NULL || strstr(l, "SMP:") != NULL ||
           strstr(l, "CPU features") != NULL || strstr(l, "secondary") != NULL;
}

static void add_klog(void) {
    static char text[262144];
    int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, text, (int)sizeof text - 1);
    if (n < 0) { line("ERROR", "klogctl"); return; }
    text[n] = 0;
    add_lines("KLOG", text, interesting_klog);
}

static void add_cpus(void) {
    char text[256];
    if (slurp("/sys/devices/system/cpu/online", text, sizeof text) < 0) { line("ERROR", "cpu/online"); return; }
    char *nl = strchr(text, '\n');
    if (nl) *nl = 0;
    line("CPUS", text);
}

// Spins on each online CPU (one child pinned to each) for about 200 ms of guest time.
static void spin_everywhere(void) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    for (long cpu = 0; cpu < cpus; cpu++) {
        pid_t child = fork();
        if (child == 0) {
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET((int)cpu, &set);
            sched_setaffinity(0, sizeof set, &set);
            long until = uptime_ms() + 200;
            volatile unsigned long spins = 0;
            while (uptime_ms() < until) spins++;
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {}
}

static void status_report(void) {
    begin();
    add_interrupts();
    add_uptime("UPTIME");
    end();
}

int main(void) {
    mkdir("/dev", 0755);
    mkdir("/proc", 0755);
    mkdir("/sys", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    long started = uptime_ms();

    port = open("/dev/ttyAMA0", O_RDWR | O_NOCTTY);
    if (port < 0) port = open("/dev/console", O_RDWR | O_NOCTTY);
    if (port < 0) return 1;
    struct termios raw;
    if (tcgetattr(port, &raw) == 0) {
        cfmakeraw(&raw);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(port, TCSANOW, &raw);
    }

    begin();
    char text[32];
    snprintf(text, sizeof text, "%ld", started);
    line("INIT", text);
    add_klog();
    add_interrupts();
    add_cpus();
    add_uptime("UPTIME");
    line("READY", "");
    end();

    char in[256];
    char echo[256];
    for (;;) {
        ssize_t n = read(port, in, sizeof in);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (n == 0) continue;
        size_t echoed = 0;
        for (ssize_t i = 0; i < n; i++) {
            unsigned char byte = (unsigned char)in[i];
            if (byte >= 0x20) { echo[echoed++] = (char)byte; continue; }
            put(echo, echoed);
            echoed = 0;
            switch (byte) {
            case CMD_INTERRUPTS: status_report(); break;
            case CMD_SPIN: spin_everywhere(); status_report(); break;
            case CMD_KLOG: begin(); add_klog(); end(); break;
            case CMD_POWER_OFF: sync(); reboot(RB_POWER_OFF); break;
            default: break;
            }
        }
        put(echo, echoed);
    }
    return 0;
}
