#!/usr/bin/perl
# fwprobe's command channel into a lab container, installed in the target image as fwprobe-agent.
#
# Every `docker exec` costs a round trip through dockerd, containerd and a new runc process: ~100 ms and
# ~150 ms of CPU on a 2-core machine, and a scenario ran about 24 of them. fwprobe instead starts this agent
# once per container, in one exec whose stdin stays open, and sends it commands; each runs as its own
# process (argv only, never through a shell), so several run at once, as separate execs did.
#
# Protocol, one line each way, every field base64 (so no byte of an argument or output can fake a field):
#   in:   ID ARG0 ARG1 ...                          run ARG0 with these arguments; stdin is /dev/null
#   out:  ID EXIT STDOUT STDERR                     EXIT as a shell reports it (128+N for signal N)
#   out:  ID - '' MESSAGE                           the agent could not run it (no fork, no output file):
#                                                   never an exit code, which a caller would take as the command's
#   out:  #ready                                    once, when the agent reads requests
# The agent ends when its stdin closes; commands still running are left to their own `timeout` bound.
use strict;
use warnings;
use Fcntl qw(:flock SEEK_SET O_RDWR O_CREAT O_EXCL);
use MIME::Base64 qw(encode_base64 decode_base64);
use POSIX qw(_exit);

$| = 1;
# Children are reaped as they end: the agent never waits for one (each request's own child waits for its command).
$SIG{CHLD} = 'IGNORE';
# The lock's file is unlinked at once and reached through /proc/self/fd: by name, a command that removed it
# (`rm -f /run/*.lock`) made the next reply lock a new file while another still wrote: the replies' bytes
# interleaved, and the channel ended, failing every command it was running (seen: 4 concurrent 4 MB outputs).
my $lock_path = "/run/fwprobe-agent.$$.lock";
open(my $lock_kept, '>', $lock_path) or die "fwprobe-agent: $lock_path: $!\n";
unlink $lock_path;
my $lock_proc = '/proc/self/fd/' . fileno($lock_kept);
print "#ready\n";

while (my $line = <STDIN>) {
  chomp $line;
  # -1: an empty argument is an empty field, kept even at the end.
  my ($id, @args) = split / /, $line, -1;
  next unless defined $id && $id =~ /^[0-9]+$/;
  my @argv = map { decode_base64($_) } @args;
  my $pid = fork();
  if (!defined $pid) {
    reply($id, '-', '', "fwprobe-agent: fork: $!\n");
    next;
  }
  next if $pid > 0;
  # The request's own process: runs the command, waits for it, replies, and leaves without cleanup handlers.
  $SIG{CHLD} = 'DEFAULT';
  my $out_fh = output_file('out');
  my $err_fh = $out_fh && output_file('err');
  if (!$out_fh || !$err_fh) {
    reply($id, '-', '', "fwprobe-agent: cannot make its output files in /tmp: $!\n");
    _exit(0);
  }
  my $child = fork();
  if (!defined $child) {
    reply($id, '-', '', "fwprobe-agent: fork: $!\n");
    _exit(0);
  }
  if ($child == 0) {
    open(STDIN, '<', '/dev/null');
    open(STDOUT, '>&', $out_fh);
    open(STDERR, '>&', $err_fh);
    { no warnings qw(exec); exec { $argv[0] } @argv; }
    print STDERR "fwprobe-agent: exec $argv[0]: $!\n";
    _exit(127);
  }
  waitpid($child, 0);
  my $status = $?;
  my $exit = ($status & 127) ? 128 + ($status & 127) : $status >> 8;
  my $stdout = slurp($out_fh);
  my $stderr = slurp($err_fh);
  reply($id, $exit, $stdout, $stderr);
  _exit(0);
}
exit 0;

# A file of this request's own (this process's pid names it), made fresh: File::Temp would add ~20 ms to each start.
# Unlinked at once and read back through its descriptor: a command that cleans /tmp (`rm -f /tmp/*`) cannot
# take its output away, nothing can swap a file in under the name, and a killed request leaves no file behind.
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
  return defined $text ? $text : '';
}

# One reply line at a time on the shared stdout, however long: the lock keeps two replies from interleaving.
# Opened anew by each process (a new open of the same file): a lock taken through a descriptor inherited
# across fork excludes nobody.
sub reply {
  my ($id, $exit, $stdout, $stderr) = @_;
  open(my $lock, '>>', $lock_proc) or die "fwprobe-agent: $lock_proc: $!\n";
  flock($lock, LOCK_EX);
  print join(' ', $id, $exit, encode_base64($stdout, ''), encode_base64($stderr, '')), "\n";
  close($lock);
}
