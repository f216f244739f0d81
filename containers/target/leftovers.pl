#!/usr/bin/perl
# fwprobe-leftovers: lists the processes still alive in this container's PID namespace, other than PID 1
# and itself, one line each:
#   @@FWPROBE-LEFTOVER pid=N ppid=N pgid=N sid=N state=S exe=PATH@@COMMAND LINE
# Run it with `docker exec` (so that no shell sits between it and the namespace) in the script sidecar
# after the user's script has ended: anything listed was started by the script and outlived it. The
# command line can be rewritten by the process itself ($0); exe (the binary it runs, read from
# /proc/PID/exe) cannot. Bytes outside printable ASCII, spaces in exe, and `@` become \xHH; a process
# without a command line (a zombie, state Z) shows its kernel name as [comm]. No procps needed.
use strict;
use warnings;

my $esc = sub { my ($s, $extra) = @_; $s =~ s/([^\x21-\x7e]|[$extra])/sprintf('\\x%02x', ord $1)/ge; $s };
opendir(my $proc, '/proc') or die "fwprobe-leftovers: /proc: $!\n";
for my $pid (sort { $a <=> $b } grep { /^\d+$/ } readdir $proc) {
    next if $pid == 1 || $pid == $$ || $pid == getppid();    # getppid: the `timeout` fwprobe runs it under
    open(my $st, '<', "/proc/$pid/stat") or next;    # exited meanwhile
    my $stat = do { local $/; <$st> } // next;
    my ($comm, $rest) = $stat =~ /^\d+ \((.*)\) (.*)$/s or next;
    my ($state, $ppid, $pgid, $sid) = split / /, $rest;
    my $cmd = '';
    if (open(my $cl, '<', "/proc/$pid/cmdline")) { local $/; $cmd = <$cl> // '' }
    $cmd =~ s/\0+$//;
    $cmd =~ s/\0/ /g;
    $cmd = "[$comm]" if $cmd eq '';
    my $exe = readlink("/proc/$pid/exe") // '';
    printf "\@\@FWPROBE-LEFTOVER pid=%d ppid=%d pgid=%d sid=%d state=%s exe=%s\@\@%s\n",
        $pid, $ppid, $pgid, $sid, $state, $esc->($exe, '@'), $esc->($cmd, '@') =~ s/\\x20/ /gr;
}
