#!/usr/bin/perl
# fwprobe's command channel into a lab container, installed in the target image as fwprobe-agent.
#
# Every `docker exec` costs a round trip through dockerd, containerd and a new runc process: ~100 ms and
# ~150 ms of CPU on a 2-core machine, and a scenario ran about 24 of them. fwprobe instead starts this agent
# once per container, in one exec whose stdin stays open, and sends it commands; each runs as its own
# process (argv only, never through a shell), so several run at once, as separate execs did.
# The agent bounds each request itself and runs a batch's steps itself: a `timeout` process per command and a
# bash script with a `base64` process per output were most of the processes a scenario started in its labs.
#
# Protocol, one line each way, fields split by one space; every argument and output is base64 (so no byte of
# one can fake a field), every other field is digits:
#   in:   ID run SECS KILL ARG0 ARG1 ...            run ARG0 with these arguments; stdin is /dev/null
#   in:   ID batch SECS KILL STOP N ARG.. N ARG..   run each N-argument command in turn; STOP=1 ends the
#                                                   batch at the first command that fails
#   out:  ID EXIT STDOUT STDERR                     (run) EXIT as a shell reports it (128+N for signal N)
#   out:  ID EXIT [STEPEXIT STDOUT STDERR]...       (batch) one triple per command that ran; EXIT is 0
#   out:  ID - '' MESSAGE                           the agent could not run it (no fork, no output file, a
#                                                   request it cannot read): never an exit code, which a
#                                                   caller would take as the command's
#   out:  #ready                                    once, when the agent reads requests
# The bound is coreutils `timeout -k KILL SECS`'s: the command runs in a process group of its own, which gets
# TERM after SECS seconds and KILL after KILL more if the command has not ended; EXIT is then 124 (137 after
# KILL), for a batch the whole batch's, which ends there. The agent ends when its stdin closes; requests
# still running are left to their own bound.
use strict;
use warnings;
use Errno qw(ENOENT);
use Fcntl qw(:flock SEEK_SET O_RDWR O_CREAT O_EXCL);
use MIME::Base64 qw(encode_base64 decode_base64);
use POSIX qw(_exit);

$| = 1;
# Children are reaped as they end: the agent never waits for one (each request's own process waits for its commands).
$SIG{CHLD} = 'IGNORE';
# The lock's file is unlinked at once and reached through /proc/self/fd: by name, a command that removed it
# (`rm -f /run/*.lock`) made the next reply lock a new file while another still wrote: the replies' bytes
# interleaved, and the channel ended, failing every command it was running (seen: 4 concurrent 4 MB outputs).
my $lock_path = "/run/fwprobe-agent.$$.lock";
open(my $lock_kept, '>', $lock_path) or die "fwprobe-agent: $lock_path: $!\n";
unlink $lock_path;
my $lock_proc = '/proc/self/fd/' . fileno($lock_kept);
print "#ready\n";

# The command the bound is running now (its process group's id), whether the bound fired, and whether KILL followed.
my ($running, $timed_out, $killed, $kill_after);

while (my $line = <STDIN>) {
  chomp $line;
  # -1: an empty argument is an empty field, kept even at the end.
  my ($id, @fields) = split / /, $line, -1;
  next unless defined $id && $id =~ /^[0-9]+$/;
  my $pid = fork();
  if (!defined $pid) {
    failed($id, "fwprobe-agent: fork: $!\n");
    next;
  }
  next if $pid > 0;
  # The request's own process: runs its commands, waits for them, replies, and leaves without cleanup handlers.
  $SIG{CHLD} = 'DEFAULT';
  serve($id, @fields);
  _exit(0);
}
exit 0;

sub serve {
  my ($id, $kind, @fields) = @_;
  my ($secs, $kill, @rest) = @fields;
  $kind //= '';
  return failed($id, "fwprobe-agent: a request it cannot read\n")
    unless ($kind eq 'run' || $kind eq 'batch') && defined $kill && $secs =~ /^[1-9][0-9]*$/ && $kill =~ /^[1-9][0-9]*$/;
  my ($stop, @commands) = (0);
  if ($kind eq 'run') {
    @commands = ([map { decode_base64($_) } @rest]);
  } else {
    $stop = shift @rest;
    while (@rest) {
      my $n = shift @rest;
      return failed($id, "fwprobe-agent: a batch it cannot read\n") unless $n =~ /^[1-9][0-9]*$/ && $n <= @rest;
      push @commands, [map { decode_base64($_) } splice(@rest, 0, $n)];
    }
    return failed($id, "fwprobe-agent: a batch it cannot read\n") unless defined $stop && $stop =~ /^[01]$/ && @commands;
  }
  return failed($id, "fwprobe-agent: a request with no command\n") unless @{ $commands[0] };
  $kill_after = $kill;
  $SIG{ALRM} = \&bound_fired;
  alarm($secs);
  my @steps;
  for my $argv (@commands) {
    last if $timed_out;
    my ($exit, $stdout, $stderr, $error) = run_bounded($argv);
    return failed($id, $error) if defined $error;
    push @steps, [$exit, $stdout, $stderr];
    last if $stop && $exit != 0;
  }
  alarm(0);
  my $exit = $killed ? 137 : $timed_out ? 124 : 0;
  my @fields_out = map { ($_->[0], encode_base64($_->[1], ''), encode_base64($_->[2], '')) } @steps;
  # A run's reply is its one command's: the bound's exit code when it fired, else the command's own.
  if ($kind eq 'run') {
    my $step = $steps[0] // [0, '', ''];
    return reply($id, $timed_out ? $exit : $step->[0], encode_base64($step->[1], ''), encode_base64($step->[2], ''));
  }
  reply($id, $exit, @fields_out);
}

# Runs one command in a process group of its own and waits for it: (exit, stdout, stderr), or an error
# message as the fourth value when it could not be started.
sub run_bounded {
  my ($argv) = @_;
  my $out_fh = output_file('out');
  my $err_fh = $out_fh && output_file('err');
  return (undef, undef, undef, "fwprobe-agent: cannot make its output files in /tmp: $!\n") if !$out_fh || !$err_fh;
  my $child = fork();
  return (undef, undef, undef, "fwprobe-agent: fork: $!\n") unless defined $child;
  if ($child == 0) {
    $SIG{ALRM} = 'DEFAULT';
    setpgrp(0, 0);
    open(STDIN, '<', '/dev/null');
    open(STDOUT, '>&', $out_fh);
    open(STDERR, '>&', $err_fh);
    { no warnings qw(exec); exec { $argv->[0] } @$argv; }
    # As a shell says it: 127 for a command that is not there, 126 for one that cannot be run.
    my $code = $!{ENOENT} ? 127 : 126;
    print STDERR "fwprobe-agent: exec $argv->[0]: $!\n";
    _exit($code);
  }
  # Both sides set the group, so that TERM finds it even if the bound fires before the child ran.
  setpgrp($child, $child);
  $running = $child;
  # The bound may have fired after the batch's last look and before this step was recorded, with nothing to
  # stop: the step is stopped now, and KILLed later, as the step running at the bound would have been.
  if ($timed_out && !$killed) {
    kill 'TERM', -$child;
    kill 'CONT', -$child;
    alarm($kill_after);
  }
  # waitpid goes on waiting after the bound's handler ran (perl restarts it).
  waitpid($child, 0);
  my $status = $?;
  $running = undef;
  my $exit = ($status & 127) ? 128 + ($status & 127) : $status >> 8;
  return ($exit, slurp($out_fh), slurp($err_fh));
}

# The bound, as `timeout` keeps it: TERM (and CONT, for a stopped command) to the whole group, KILL after
# $kill_after more seconds if the command is still there.
sub bound_fired {
  if (!$timed_out) {
    $timed_out = 1;
    return unless $running;
    kill 'TERM', -$running;
    kill 'CONT', -$running;
    alarm($kill_after);
    return;
  }
  return unless $running;
  $killed = 1;
  kill 'KILL', -$running;
}

# A file of this request's own (this process's pid names it), made fresh: File::Temp would add ~20 ms to each start.
# Unlinked at once and read back through its descriptor: a command that cleans /tmp (`rm -f /tmp/*`) cannot
# take its output away, nothing can swap a file in under the name, and a killed request leaves no file behind.
# A batch makes fresh ones for each step: a process an earlier step left running writes into that step's.
sub output_file {
  my ($what) = @_;
  my $path = "/tmp/fwprobe-agent-$$-$what";
  unlink $path;
  sysopen(my $fh, $path, O_RDWR | O_CREAT | O_EXCL, 0600) or return;
  unlink $path;
  return $fh;
}

sub slurp {
  my ($fh) = @_;
  seek($fh, 0, SEEK_SET) or return '';
  binmode($fh);
  local $/;
  my $text = <$fh>;
  close($fh);
  return defined $text ? $text : '';
}

sub failed {
  my ($id, $message) = @_;
  alarm(0);
  reply($id, '-', '', encode_base64($message, ''));
}

# One reply line at a time on the shared stdout, however long: the lock keeps two replies from interleaving.
# Opened anew by each process (a new open of the same file): a lock taken through a descriptor inherited
# across fork excludes nobody. Every field is already encoded.
sub reply {
  my ($id, @fields) = @_;
  open(my $lock, '>>', $lock_proc) or die "fwprobe-agent: $lock_proc: $!\n";
  flock($lock, LOCK_EX);
  print join(' ', $id, @fields), "\n";
  close($lock);
}
