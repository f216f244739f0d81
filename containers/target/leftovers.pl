#!/usr/bin/perl
# fwprobe-leftovers: lists the processes still alive in this container's PID namespace, other than PID 1
# and itself, one line each:
#   @@FWPROBE-LEFTOVER pid=N ppid=N pgid=N sid=N state=S exe=PATH@@COMMAND LINE
# Run it with `docker exec` (so that no shell sits between it and the namespace) in the script sidecar
# after the user's script has ended: anything listed was started by the script and outlived it. The
# command line can be rewritten by the process itself ($0); exe (the binary it runs, read from
# /proc/PID/exe) cannot. Bytes outside printable ASCII, spaces in exe, and `@` become \xHH; a process
# without a command line (a zombie, state Z) shows its kernel name as [comm]. No procps needed.
#
# With --kill, every process listed is then sent SIGKILL (again until none is left, for at most 2 s), so that
# nothing the script started can change the target after this returns; fwprobe runs it in the same exec as
# the script, right after it. Its own ancestors (the exec's shell and `timeout`) are neither listed nor killed.
use strict;
use warnings;
use Time::HiRes qw(sleep time);

my $kill = grep { $_ eq '--kill' } @ARGV;
my %mine = (1 => 1, $$ => 1);
for (my $p = getppid(); $p > 1 && !$mine{$p};) {
    $mine{$p} = 1;
    open(my $st, '<', "/proc/$p/stat") or last;
    my ($ppid) = (do { local $/; <$st> } // '') =~ /^\d+ \(.*\) \S+ (\d+)/s or last;
    $p = $ppid;
}

sub others {
    opendir(my $proc, '/proc') or die "fwprobe-leftovers: /proc: $!\n";
    return grep { !$mine{$_} } sort { $a <=> $b } grep { /^\d+$/ } readdir $proc;
}

# Zombies are dead already (PID 1 reaps them): only these can still act.
sub alive {
    return grep {
        my $stat = '';
        if (open(my $f, '<', "/proc/$_/stat")) { $stat = <$f> // '' }
        $stat ne '' && $stat !~ /^\d+ \(.*\) Z /s;
    } others();
}

my $esc = sub { my ($s, $extra) = @_; $s =~ s/([^\x21-\x7e]|[$extra])/sprintf('\\x%02x', ord $1)/ge; $s };
for my $pid (others()) {
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

if ($kill) {
    # A process may fork while it is being killed: repeat until nothing but this exec's own chain is left.
    my $until = time + 2;
    while (my @left = alive()) {
        kill 'KILL', @left;
        last if time > $until;
        sleep 0.02;
    }
    if (my @left = alive()) {
        print STDERR "fwprobe-leftovers: still alive after SIGKILL: @left\n";
        exit 3;
    }
}
