#!/usr/bin/perl
# fwprobe-probe: real client connections from chosen source addresses and ports, many at once.
#
#   fwprobe-probe [OPTIONS] [PROBE...]        PROBE = ID,PROTO,DST,PORT[,SRC[,SPORT[,VARIANT][,TIMEOUT_MS]]]
#
# With no PROBE argument (or with "-" among them) probes are read from stdin, one a line, fields separated
# by commas or by whitespace; blank lines and lines starting with # are skipped. An empty field or "-"
# takes the default: SRC the kernel's choice, SPORT 0 (an ephemeral port), TIMEOUT_MS --timeout, no VARIANT.
# After SPORT, a number is TIMEOUT_MS and a word is VARIANT (either order, each at most once).
# IDs are 1-48 characters of [A-Za-z0-9._:@/+=-], unique in one call. Addresses are numeric IPv4 or IPv6
# (brackets optional, fe80::1%eth0 allowed); SRC must be an address of this host, of DST's family.
#
# TCP is a kernel connect(), so the SYN has the kernel's shape (MSS, SACK-permitted, timestamps, window
# scale). VARIANT changes the packets' shape, still on an ordinary kernel socket:
#
#   dstopts  IPv6, TCP or UDP: every packet carries an (empty, PadN-only) Destination Options header
#            (setsockopt IPV6_DSTOPTS, which needs CAP_NET_RAW)
#   hbh      the same with a Hop-by-Hop Options header (IPV6_HOPOPTS)
#   ecn      TCP: the SYN carries ECE|CWR, as a client with net.ipv4.tcp_ecn=1 sends it (that sysctl is per
#            network namespace, read-only in a container, and would change every probe of the call)
#   psh      TCP: the SYN carries PSH (SYN|PSH)
#
# ecn and psh mark their socket (SO_MARK, needs CAP_NET_ADMIN), and an nft table `inet fwprobe_probe`, in
# the namespace this runs in, rewrites the flags of the marked SYNs on their way out (output hook, mangle
# priority): the handshake then completes as any connect() does, so "connected" means the same for every
# probe, and the listener logs the connection. The table is (re)added by each call that needs it and left
# in place. Never run ecn or psh in the namespace whose ruleset is under test. A variant that cannot be set up ends its probe as
# error/socket (EPERM without the capability; EVARIANT, with nft's message on stderr, if the table could
# not be added).
#
# UDP sends a datagram carrying a unique token on a connected socket with IP(V6)_RECVERR, so ICMP
# errors surface as errno. Every probe prints one tab-separated line, in completion order:
#
#   id proto result ms laddr lport raddr rport errno stage token reply variant
#
#   result  tcp: connected | refused | timeout | unreachable | error
#           udp: answered  | refused | silent  | unreachable | error
#           both: aborted (the call's deadline passed before the probe could finish)
#   ms      from connect() (TCP) or the first datagram (UDP) to the outcome
#   laddr/lport  the local address and port actually used ("-" if none was assigned)
#   errno   ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EACCES, EPERM, ... or "-"; with timeout/silent it is
#           the soft error the kernel kept (SO_ERROR), if any; ESELFCONNECT when the local and remote
#           address and port are the same (the socket would talk to itself)
#   stage   where errno came from: socket | bind | connect | send | recv | "-"
#   token   udp: the datagram's payload (what the target's received log shows); tcp: "-"
#   reply   the first bytes of the UDP answer or of the TCP banner (read for up to --banner-ms), escaped
#           (\\, \xNN); "-" if none
#   variant the probe's VARIANT, or "-"
#
# A line "#fields ..." comes first and "#end probes=N ms=T aborted=A" last: without the #end line the
# output is cut and must not be trusted. Exit 0 when every probe finished (whatever its result), 1 when
# some were aborted, 2 on a usage or input error (nothing is probed then).
#
# Several probes may share a source port (SO_REUSEADDR; none of them listens). Probes with the same
# protocol and 4-tuple (without SRC: the source the route gives) run one after another, never together.
# TCP sockets close with SO_LINGER 0 (an RST), so no TIME_WAIT is left on either side to make the same
# 4-tuple fail (EADDRNOTAVAIL) in a later call. A TCP source port that this host listens on cannot be bound
# (EADDRINUSE). A source address without a source port uses IP_BIND_ADDRESS_NO_PORT (the port is picked
# at connect time). A freshly added IPv6 source is unusable (EADDRNOTAVAIL at bind) until DAD is done:
# add it with `nodad`.
#
# The whole call ends by its deadline: --deadline MS, by default the longest timeout times the number of
# rounds that --parallel and repeated 4-tuples force (1 in the usual case), plus 10 s for a loaded machine
# (2 s was measured too short: under the full suite with two CPU hogs and an nmap -T3 scan beside it, every
# probe of a port was cut short as `aborted`; each probe still ends by its own --timeout, so this slack
# costs nothing unless the process is starved).
use strict;
use warnings;
use Errno ();
use Getopt::Long qw(GetOptionsFromArray);
use IO::Select;
use POSIX ();
use Socket qw(AF_INET AF_INET6 SOCK_STREAM SOCK_DGRAM SOCK_NONBLOCK MSG_DONTWAIT SOL_SOCKET SO_REUSEADDR SO_LINGER SO_ERROR SO_BROADCAST
    IPPROTO_IP IPPROTO_IPV6 IP_RECVERR IPV6_RECVERR IP_BIND_ADDRESS_NO_PORT AI_NUMERICHOST AI_NUMERICSERV
    AI_PASSIVE NI_NUMERICHOST NI_NUMERICSERV getaddrinfo getnameinfo);
use Time::HiRes qw(time);

$| = 1;
$SIG{PIPE} = 'IGNORE';

my %opt = (timeout => 1500, parallel => 256, 'udp-sends' => 2, 'banner-ms' => 200);
my @args = @ARGV;
GetOptionsFromArray(\@args, \%opt, 'timeout=i', 'parallel=i', 'udp-sends=i', 'banner-ms=i', 'deadline=i',
    'nonce=s', 'help|h')
    or usage_error('bad option');
if ($opt{help}) { print_usage(); exit 0 }
usage_error('--timeout must be 1..600000 ms') if $opt{timeout} < 1 || $opt{timeout} > 600_000;
usage_error('--parallel must be 1..900') if $opt{parallel} < 1 || $opt{parallel} > 900;
usage_error('--udp-sends must be 1..10') if $opt{'udp-sends'} < 1 || $opt{'udp-sends'} > 10;
usage_error('--banner-ms must be 0..10000') if $opt{'banner-ms'} < 0 || $opt{'banner-ms'} > 10_000;
usage_error('--deadline must be 1..3600000 ms')
    if defined $opt{deadline} && ($opt{deadline} < 1 || $opt{deadline} > 3_600_000);
my $nonce = $opt{nonce} // sprintf('%08x', (int(time() * 1000) ^ ($$ << 20)) & 0xffffffff);
usage_error('--nonce must be 1-16 characters of [A-Za-z0-9]') unless $nonce =~ /^[A-Za-z0-9]{1,16}$/;

# ---------------------------------------------------------------------------------------------- variants
# Linux's values (include/uapi/linux/in6.h, asm-generic/socket.h); Socket.pm exports none of them.
use constant { IPV6_HOPOPTS => 54, IPV6_DSTOPTS => 59, SO_MARK => 36 };
# An empty options header: next header (the kernel fills it), length 0 (8 bytes), one PadN option of 4.
my $EMPTY_OPTIONS = pack('CCCCx4', 0, 0, 1, 4);
my %VARIANT = (
    dstopts => { ipv6 => 1, option => IPV6_DSTOPTS },
    hbh     => { ipv6 => 1, option => IPV6_HOPOPTS },
    ecn     => { mark => 0x66770001, flags => 'syn | ecn | cwr' },
    psh     => { mark => 0x66770002, flags => 'syn | psh' },
);

# ---------------------------------------------------------------------------------------------- input
my @specs;    # [text, where]
my $stdin_read = 0;
my @sources = @args ? @args : ('-');
for my $arg (@sources) {
    if ($arg eq '-') {
        usage_error('"-" given twice') if $stdin_read++;
        my $n = 0;
        while (my $line = <STDIN>) {
            $n++;
            next if $line =~ /^\s*(#|$)/;
            push @specs, [$line, "stdin line $n"];
        }
    } else {
        push @specs, [$arg, "argument '$arg'"];
    }
}
usage_error('no probes given') unless @specs;

my (@probes, %seen_id);
for my $spec (@specs) {
    my ($text, $where) = @$spec;
    $text =~ s/^\s+|\s+$//g;
    my @f = $text =~ /,/ ? map { s/^\s+|\s+$//gr } split(/,/, $text, -1) : split(/\s+/, $text);
    input_error($where, 'want ID,PROTO,DST,PORT[,SRC[,SPORT[,VARIANT][,TIMEOUT_MS]]]') if @f < 4 || @f > 8;
    my ($id, $proto, $dst, $dport, $src, $sport, @rest) =
        map { defined $_ && $_ ne '' && $_ ne '-' ? $_ : undef } @f;
    my ($timeout, $variant);
    for my $x (grep { defined } @rest) {
        if ($x =~ /^\d+$/) {
            input_error($where, 'TIMEOUT_MS given twice') if defined $timeout;
            $timeout = $x;
        } else {
            input_error($where, "VARIANT '$x' is not one of " . join(', ', sort keys %VARIANT)) unless $VARIANT{$x};
            input_error($where, 'VARIANT given twice') if defined $variant;
            $variant = $x;
        }
    }
    input_error($where, 'bad ID') unless defined $id && $id =~ m{^[A-Za-z0-9._:@/+=][A-Za-z0-9._:@/+=-]{0,47}$};
    input_error($where, "duplicate ID '$id'") if $seen_id{$id}++;
    input_error($where, 'PROTO must be tcp or udp') unless defined $proto && $proto =~ /^(tcp|udp)$/;
    input_error($where, 'PORT must be 1..65535')
        unless defined $dport && $dport =~ /^\d{1,5}$/ && $dport >= 1 && $dport <= 65535;
    $sport //= 0;
    input_error($where, 'SPORT must be 0..65535') unless $sport =~ /^\d{1,5}$/ && $sport <= 65535;
    $timeout //= $opt{timeout};
    input_error($where, 'TIMEOUT_MS must be 1..600000')
        unless $timeout =~ /^\d{1,6}$/ && $timeout >= 1 && $timeout <= 600_000;
    input_error($where, 'DST missing') unless defined $dst;
    my $socktype = $proto eq 'tcp' ? SOCK_STREAM : SOCK_DGRAM;
    my ($family, $dst_sa) = numeric_sockaddr($dst, $dport, $socktype)
        or input_error($where, "DST '$dst' is not a numeric address");
    my $bind_sa;
    if (defined $src || $sport) {
        my ($sfamily, $sa) = defined $src
            ? numeric_sockaddr($src, $sport, $socktype)
            : numeric_sockaddr($family == AF_INET6 ? '::' : '0.0.0.0', $sport, $socktype);
        input_error($where, "SRC '$src' is not a numeric address") unless defined $sfamily;
        input_error($where, 'SRC and DST are of different families') if $sfamily != $family;
        $bind_sa = $sa;
    }
    if (defined $variant) {
        my $v = $VARIANT{$variant};
        input_error($where, "VARIANT $variant is for IPv6 only") if $v->{ipv6} && $family != AF_INET6;
        input_error($where, "VARIANT $variant is for TCP only") if $v->{mark} && $proto ne 'tcp';
    }
    my ($rhost) = sockaddr_text($dst_sa);
    push @probes, {
        variant => $variant,
        id => $id, proto => $proto, family => $family, socktype => $socktype, dst_sa => $dst_sa,
        bind_sa => $bind_sa, sport => $sport + 0, timeout => $timeout / 1000, raddr => $rhost, rport => $dport + 0,
        # Same protocol and 4-tuple cannot run together; an ephemeral source port never collides. Without
        # SRC the key takes the source address the kernel's route lookup would pick.
        key => $sport
            ? join('|', $proto, $rhost, $dport,
                defined $src ? sockaddr_host($bind_sa) : route_source($family, $dst_sa), $sport)
            : undef,
        token => "fwprobe-probe $nonce.$id",
    };
}

# ---------------------------------------------------------------------------------------------- plan
# Rounds: how many timeouts in a row the worst case needs (parallel slots, then repeated 4-tuples).
my $max_timeout = 0;
$max_timeout < $_->{timeout} and $max_timeout = $_->{timeout} for @probes;
my %key_count;
$key_count{$_->{key}}++ for grep { defined $_->{key} } @probes;
my $rounds = POSIX::ceil(@probes / $opt{parallel});
for (values %key_count) { $rounds = $_ if $_ > $rounds }
my $mangle = setup_mangle(grep { $_->{variant} && $VARIANT{$_->{variant}}{mark} } @probes);
my $start = time;
my $deadline = $start + (defined $opt{deadline} ? $opt{deadline} / 1000 : $rounds * $max_timeout + 10.0);

my %errname;
for my $name (sort @Errno::EXPORT_OK) {
    my $code = eval { Errno->can($name)->() };
    $errname{$code} //= $name if defined $code;
}
$errname{Errno::EAGAIN()} = 'EAGAIN';
$errname{Errno::EOPNOTSUPP()} = 'EOPNOTSUPP';
$errname{Errno::EDEADLK()} = 'EDEADLK';
my %unreachable = map { (eval { Errno->can($_)->() } // -1) => 1 }
    qw(EHOSTUNREACH ENETUNREACH EACCES EPERM EHOSTDOWN ENETDOWN ENONET ENOPROTOOPT EPROTO);

print join("\t", '#fields', qw(id proto result ms laddr lport raddr rport errno stage token reply variant)), "\n";

# ---------------------------------------------------------------------------------------------- run
my @pending = @probes;
my (%inflight, %busy);    # fileno => probe; key => 1
my $done = 0;
my $aborted = 0;
# Last resort: nothing below blocks, but the call must end by its deadline whatever happens.
$SIG{ALRM} = sub { abort_all(); exit 1 };
Time::HiRes::alarm($deadline - time + 1);

while (@pending || %inflight) {
    my $now = time;
    last if $now >= $deadline;
    # Start what may start.
    for (my $i = 0; $i < @pending && keys(%inflight) < $opt{parallel}; ) {
        my $p = $pending[$i];
        if (defined $p->{key} && $busy{$p->{key}}) { $i++; next }
        splice(@pending, $i, 1);
        start_probe($p);
    }
    last unless %inflight || @pending;
    # Wait for the next event.
    my ($rsel, $wsel) = (IO::Select->new, IO::Select->new);
    my $wake = $deadline;
    for my $p (values %inflight) {
        if ($p->{state} eq 'connecting') { $wsel->add($p->{fh}) }
        else                              { $rsel->add($p->{fh}) }
        $wake = $p->{until} if $p->{until} < $wake;
        $wake = $p->{next_send} if defined $p->{next_send} && $p->{next_send} < $wake;
    }
    my $wait = $wake - time;
    $wait = 0 if $wait < 0;
    my ($readable, $writable) = IO::Select->select($rsel, $wsel, undef, $wait);
    $now = time;
    for my $fh (@{ $writable || [] }) { my $p = $inflight{fileno $fh}; on_writable($p, $now) if $p }
    for my $fh (@{ $readable || [] }) { my $p = $inflight{fileno $fh}; on_readable($p, $now) if $p }
    for my $p (values %inflight) {
        next unless $p->{fh};
        if (defined $p->{next_send} && $now >= $p->{next_send} && $now < $p->{until}) { send_datagram($p, $now) }
        next unless $p->{fh};
        on_timer($p, $now) if $now >= $p->{until};
    }
}
abort_all();
Time::HiRes::alarm(0);
exit($aborted ? 1 : 0);

# ---------------------------------------------------------------------------------------------- probe steps
sub start_probe {
    my ($p) = @_;
    $busy{$p->{key}} = 1 if defined $p->{key};
    my $fh;
    socket($fh, $p->{family}, $p->{socktype} | SOCK_NONBLOCK, 0) or return finish($p, 'error', $! + 0, 'socket');
    $p->{fh} = $fh;
    $inflight{fileno $fh} = $p;
    if (my $v = $p->{variant} && $VARIANT{$p->{variant}}) {
        return finish($p, 'error', 'EVARIANT', 'socket') if $v->{mark} && !$mangle;
        my @opt = $v->{mark} ? (SOL_SOCKET, SO_MARK, pack('I', $v->{mark})) : (IPPROTO_IPV6, $v->{option}, $EMPTY_OPTIONS);
        setsockopt($fh, $opt[0], $opt[1], $opt[2]) or return finish($p, 'error', $! + 0, 'socket');
    }
    if ($p->{proto} eq 'tcp') {
        # An RST on close: no TIME_WAIT anywhere, so the same 4-tuple works again at once.
        setsockopt($fh, SOL_SOCKET, SO_LINGER, pack('ii', 1, 0)) or return finish($p, 'error', $! + 0, 'socket');
    } else {
        my ($level, $opt) = $p->{family} == AF_INET6 ? (IPPROTO_IPV6, IPV6_RECVERR) : (IPPROTO_IP, IP_RECVERR);
        setsockopt($fh, $level, $opt, 1) or return finish($p, 'error', $! + 0, 'socket');
        # An attacker on the segment may send to the broadcast address: allowed, as any sender could.
        setsockopt($fh, SOL_SOCKET, SO_BROADCAST, 1) or return finish($p, 'error', $! + 0, 'socket')
            if $p->{family} == AF_INET;
    }
    if ($p->{bind_sa}) {
        if ($p->{sport}) {
            setsockopt($fh, SOL_SOCKET, SO_REUSEADDR, 1) or return finish($p, 'error', $! + 0, 'bind');
        } elsif ($p->{proto} eq 'tcp') {
            # Address only: take the port at connect time, where the whole 4-tuple is known.
            setsockopt($fh, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1) or return finish($p, 'error', $! + 0, 'bind');
        }
        bind($fh, $p->{bind_sa}) or return finish($p, 'error', $! + 0, 'bind');
    }
    $p->{t0} = time;
    $p->{until} = $p->{t0} + $p->{timeout};
    my $ok = connect($fh, $p->{dst_sa});
    my $err = $ok ? 0 : $! + 0;
    note_local($p);
    if ($p->{proto} eq 'tcp') {
        if ($ok) { return connected($p, time) }
        return finish($p, classify($err), $err, 'connect') unless $err == Errno::EINPROGRESS();
        # An ICMP error that arrives while connect()/getsockname() hold the socket lock (a fast link does
        # that) only becomes a soft error (LockDroppedIcmps), and the kernel retries the SYN a second later.
        # It is the same answer: take it now.
        my $soft = unpack('i', getsockopt($fh, SOL_SOCKET, SO_ERROR) // pack('i', 0));
        return finish($p, classify($soft), $soft, 'connect') if $soft;
        $p->{state} = 'connecting';
    } else {
        return finish($p, classify($err), $err, 'connect') unless $ok;
        # A datagram to one's own address and port comes back to this very socket: no proof of anything.
        return finish($p, 'error', 'ESELFCONNECT', 'connect') if is_self($p);
        # Bound but not yet connected, this socket took any datagram to its port: an answer to another probe
        # that shares the source port (SO_REUSEADDR), e.g. the listener on 53 answering [src]:443 while the
        # probe of 55 from [src]:443 was between bind() and connect(). Seen: 55 read "answered" under a DROP.
        # Nothing is sent yet, so nothing queued now can be this probe's answer (nor an error about it).
        for (1 .. 64) {
            last if !defined recv($fh, my $stale, 65535, MSG_DONTWAIT) && ($! == Errno::EAGAIN() || $! == Errno::EWOULDBLOCK());
        }
        $p->{state} = 'waiting';
        $p->{sends} = 0;
        send_datagram($p, $p->{t0});
    }
}

sub send_datagram {
    my ($p, $now) = @_;
    $p->{sends}++;
    # Sends are spread evenly over the timeout: at 0, T/N, 2T/N, ...
    $p->{next_send} = $p->{sends} < $opt{'udp-sends'}
        ? $p->{t0} + $p->{timeout} * $p->{sends} / $opt{'udp-sends'}
        : undef;
    my $sent = send($p->{fh}, $p->{token}, 0);
    return if defined $sent;
    my $err = $! + 0;
    return if $err == Errno::EAGAIN() || $err == Errno::ENOBUFS();
    finish($p, classify($err), $err, 'send');
}

sub on_writable {
    my ($p, $now) = @_;
    my $err = unpack('i', getsockopt($p->{fh}, SOL_SOCKET, SO_ERROR) // pack('i', $! + 0));
    return connected($p, $now) if $err == 0;
    finish($p, classify($err), $err, 'connect', $now);
}

sub connected {
    my ($p, $now) = @_;
    $p->{ms} = ms($now - $p->{t0});
    note_local($p);
    # connect() to oneself (same address and port) succeeds by simultaneous open: that proves nothing.
    return finish($p, 'error', 'ESELFCONNECT', 'connect', $now) if is_self($p);
    $p->{result} = 'connected';
    my $banner_until = $now + $opt{'banner-ms'} / 1000;
    $banner_until = $deadline if $banner_until > $deadline;
    return finish($p, 'connected', 0, '-', $now) if $banner_until <= $now;
    $p->{state} = 'banner';
    $p->{until} = $banner_until;
}

sub on_readable {
    my ($p, $now) = @_;
    my $buf = '';
    my $got = recv($p->{fh}, $buf, 512, 0);
    my $err = defined $got ? 0 : $! + 0;
    return if $err == Errno::EAGAIN() || $err == Errno::EINTR();
    if ($p->{state} eq 'banner') {
        $p->{reply} = $buf if !$err && length $buf;
        return finish($p, 'connected', 0, '-', $now, 1);
    }
    return finish($p, 'answered', 0, '-', $now, 0, $buf) unless $err;
    finish($p, classify($err), $err, 'recv', $now);
}

sub on_timer {
    my ($p, $now) = @_;
    return finish($p, 'connected', 0, '-', $now, 1) if $p->{state} eq 'banner';
    # The kernel's soft error, if any (an ICMP error it did not act on, a local EPERM, ...).
    my $soft = unpack('i', getsockopt($p->{fh}, SOL_SOCKET, SO_ERROR) // pack('i', 0));
    finish($p, $p->{proto} eq 'tcp' ? 'timeout' : 'silent', $soft, $soft ? 'connect' : '-', $p->{until});
}

sub finish {
    my ($p, $result, $err, $stage, $now, $keep_ms, $reply) = @_;
    $now //= time;
    $p->{ms} = ms($now - ($p->{t0} // $now)) unless $keep_ms && defined $p->{ms};
    $p->{reply} = $reply if defined $reply;
    if ($p->{fh}) {
        delete $inflight{fileno $p->{fh}};
        close($p->{fh});
        delete $p->{fh};
    }
    delete $busy{$p->{key}} if defined $p->{key};
    my $errno = !$err ? '-' : $err =~ /^\d+$/ ? ($errname{$err} // "E$err") : $err;
    $stage = '-' if $errno eq '-';
    print join("\t", $p->{id}, $p->{proto}, $result, $p->{ms}, $p->{laddr} // '-', $p->{lport} // '-', $p->{raddr},
        $p->{rport}, $errno, $stage, $p->{proto} eq 'udp' ? $p->{token} : '-',
        defined $p->{reply} && length $p->{reply} ? escape(substr($p->{reply}, 0, 64)) : '-', $p->{variant} // '-'), "\n";
    $p->{finished} = 1;
    $done++;
}

sub abort_all {
    my $now = time;
    for my $p (values %inflight, @pending) {
        next if $p->{finished};
        $aborted++;
        finish($p, 'aborted', 0, '-', $now);
    }
    @pending = ();
    printf "#end\tprobes=%d\tms=%d\taborted=%d\n", scalar(@probes), ms(time - $start), $aborted;
}

sub classify {
    my ($err) = @_;
    return 'refused' if $err == Errno::ECONNREFUSED();
    return 'timeout' if $err == Errno::ETIMEDOUT();
    return 'unreachable' if $unreachable{$err};
    return 'error';
}

sub is_self { my ($p) = @_; defined $p->{laddr} && $p->{laddr} eq $p->{raddr} && $p->{lport} == $p->{rport} }

sub note_local {
    my ($p) = @_;
    my $sa = getsockname($p->{fh}) or return;
    my ($host, $port) = sockaddr_text($sa);
    return unless defined $host && $port;    # not yet assigned
    @$p{qw(laddr lport)} = ($host, $port + 0);
}

# ---------------------------------------------------------------------------------------------- flag rewriting
# The ecn and psh SYNs: one nft table rewrites the flags of SYNs whose socket carries a variant's mark.
# Returns its name, or undef (nft's error is on stderr, and those probes end as EVARIANT). The table is
# replaced in one transaction, so a call running beside this one never sees it without its rules, and it
# stays: it touches no packet but a marked SYN, and removing it would cost every call another nft run.
sub setup_mangle {
    return undef unless @_;
    my $table = 'fwprobe_probe';
    my $rules = join '', map {
        sprintf("    meta mark 0x%08x tcp flags & (syn | ack) == syn tcp flags set %s\n", $VARIANT{$_}{mark}, $VARIANT{$_}{flags})
    } grep { $VARIANT{$_}{mark} } sort keys %VARIANT;
    my $text = "table inet $table {}\nflush table inet $table\n"
        . "table inet $table {\n  chain out {\n    type filter hook output priority mangle; policy accept;\n"
        . $rules . "  }\n}\n";
    my $ok = open(my $nft, '|-', 'nft', '-f', '-');
    $ok &&= print $nft $text;
    $ok = close($nft) && $ok if $nft;
    return $table if $ok;
    print STDERR "fwprobe-probe: could not add the nft table for the ecn/psh variants: "
        . ($! ? "$!" : 'nft exited ' . ($? >> 8)) . "\n";
    return undef;
}

# ---------------------------------------------------------------------------------------------- helpers
sub numeric_sockaddr {
    my ($host, $port, $socktype) = @_;
    $host =~ s/^\[(.*)\]$/$1/;
    my ($err, @res) =
        getaddrinfo($host, $port, { flags => AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE, socktype => $socktype });
    return if $err || !@res;
    return ($res[0]{family}, $res[0]{addr});
}

sub sockaddr_text {
    my ($sa) = @_;
    my ($err, $host, $port) = getnameinfo($sa, NI_NUMERICHOST | NI_NUMERICSERV);
    return if $err;
    return ($host, $port);
}

sub sockaddr_host { (sockaddr_text($_[0]))[0] }

# The source address the kernel picks for DST: connect() of a UDP socket sends nothing.
sub route_source {
    my ($family, $dst_sa) = @_;
    socket(my $s, $family, SOCK_DGRAM, 0) or return '*';
    connect($s, $dst_sa) or return '*';
    my $sa = getsockname($s) or return '*';
    return sockaddr_host($sa) // '*';
}

sub ms { my $v = int($_[0] * 1000 + 0.5); $v < 0 ? 0 : $v }

sub escape { my ($s) = @_; $s =~ s/([\\])|([^\x20-\x7e])/defined $1 ? '\\\\' : sprintf('\\x%02x', ord $2)/ge; $s }

sub input_error { my ($where, $msg) = @_; print STDERR "fwprobe-probe: $where: $msg\n"; exit 2 }
sub usage_error { print STDERR "fwprobe-probe: $_[0]\n"; print_usage(\*STDERR); exit 2 }

sub print_usage {
    my ($fh) = @_;
    $fh //= \*STDOUT;
    print $fh <<'EOF';
usage: fwprobe-probe [--timeout MS] [--parallel N] [--udp-sends N] [--banner-ms MS] [--deadline MS]
                     [--nonce STR] [PROBE... | -]
  PROBE = ID,PROTO,DST,PORT[,SRC[,SPORT[,VARIANT][,TIMEOUT_MS]]]   (or whitespace-separated lines on stdin)
  VARIANT = dstopts | hbh (IPv6) | ecn | psh (TCP)
  output: one line a probe, tab-separated:
    id proto result ms laddr lport raddr rport errno stage token reply variant
  then "#end probes=N ms=T aborted=A".
EOF
}
