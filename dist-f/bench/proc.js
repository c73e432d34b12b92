import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux almost always). */
export const CLOCK_TICKS = readClockTicks();
function readClockTicks() {
    try {
        const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
        return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
    }
    catch {
        return 100;
    }
}
/**
 * User plus system CPU time a process has used so far, in microseconds, from /proc/<pid>/stat.
 * Read from outside the process, so it measures the server without touching it.
 */
export function cpuMicros(pid) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks * 1e6 / CLOCK_TICKS;
}
/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS). */
export function rssBytes(pid) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    if (match === null)
        throw new Error(`no VmRSS for pid ${pid}`);
    return Number(match[1]) * 1024;
}
//# sourceMappingURL=proc.js.map