#!/usr/bin/perl
# fwprobe-listener: serves the declared ports so that scans meet a real socket.
#
#   fwprobe-listener SPEC...      SPEC = tcp|udp : PORT : BIND
#
# BIND is "any" (one IPv6 socket with IPV6_V6ONLY=0, which takes both families), "any4" (0.0.0.0),
# "any6" (:: with IPV6_V6ONLY=1) or a literal address. TCP connections get a short banner and are closed.
# UDP datagrams get a reply, so that a UDP scan can tell "open" from "open|filtered".
# It binds everything before it prints READY, and exits non-zero if any bind fails: a port that does
# not listen must never pass for a filtered one.
#
#   fwprobe-listener [--log PATH] SPEC...
#
# Received log: one line per accepted TCP connection and per received UDP datagram, appended and written
# with one write(2) each, BEFORE the banner or answer goes out (a client that got its answer finds its line
# already there). PATH is --log PATH (or --log=PATH), else $FWPROBE_RECEIVED_LOG, else
# /run/fwprobe/received.log; "none" turns it off. Its directory is created; a log that cannot be opened is
# fatal before READY. Tab-separated:
#
#   TIME PROTO SRC SPORT DST DPORT LEN DATA
#
# TIME is epoch seconds with milliseconds; SRC/DST are numeric (IPv4-mapped IPv6 shown as plain IPv4);
# DST is the address the client reached (TCP: getsockname; UDP: IP_PKTINFO/IPV6_PKTINFO, or the bound
# address, maybe "::" or "0.0.0.0", where that is unavailable). LEN is the datagram's length and DATA its
# first 128 bytes, escaped (\\ and \xNN); both are "-" for TCP.
use strict;
use warnings;
use IO::Socket::IP;
use IO::Select;
use Socket qw(IPPROTO_IPV6 IPV6_V6ONLY SOL_SOCKET SO_REUSEADDR);
use Errno ();

$| = 1;
# A client that resets before the banner is written must not kill the listener with SIGPIPE.
$SIG{PIPE} = 'IGNORE';

# fwprobe-listener --probe ADDR:PORT...   sends one datagram to each UDP service and waits for its answer.
# Run before any ruleset: it proves the UDP services answer, and warms their code path so that the first
# scan probe is not the first datagram they ever handle.
if (@ARGV && $ARGV[0] eq '--probe') {
    shift @ARGV;
    my $failed = 0;
    for my $target (@ARGV) {
        my ($addr, $port) = $target =~ /^\[?([^\]]+?)\]?:(\d+)$/ or die "fwprobe-listener: bad probe target '$target'\n";
        my $sock = IO::Socket::IP->new(PeerHost => $addr, PeerPort => $port, Proto => 'udp')
            or do { print "no-answer $target: $@\n"; $failed = 1; next };
        my $answered = 0;
        for my $try (1 .. 5) {
            $sock->send("fwprobe-probe\n");
            my $sel = IO::Select->new($sock);
            if ($sel->can_read(0.5)) { my $buf; if (defined $sock->recv($buf, 512) && length $buf) { $answered = 1; last } }
        }
        print $answered ? "answered $target\n" : "no-answer $target\n";
        $failed ||= !$answered;
    }
    exit($failed ? 1 : 0);
}

my $log_path = $ENV{FWPROBE_RECEIVED_LOG} // '/run/fwprobe/received.log';
while (@ARGV && $ARGV[0] =~ /^--log(?:=(.*))?$/s) {
    shift @ARGV;
    $log_path = defined $1 ? $1 : shift(@ARGV) // die "fwprobe-listener: --log needs a PATH\n";
}
die "fwprobe-listener: empty log path (use 'none' to turn the received log off)\n" if $log_path eq '';

my $select = IO::Select->new;
my %proto_of;
my ($log, $hires, $sys_recvmsg);

die "usage: fwprobe-listener [--log PATH] tcp|udp:PORT:BIND ...\n" unless @ARGV;
for my $spec (@ARGV) {
    my ($proto, $port, $bind) = $spec =~ /^(tcp|udp):(\d{1,5}):(.+)$/
        or die "fwprobe-listener: bad spec '$spec' (want tcp|udp:PORT:BIND)\n";
    die "fwprobe-listener: port out of range in '$spec'\n" if $port < 1 || $port > 65535;
    my ($addr, $v6only) =
          $bind eq 'any'  ? ('::', 0)
        : $bind eq 'any4' ? ('0.0.0.0', undef)
        : $bind eq 'any6' ? ('::', 1)
        :                   ($bind, ($bind =~ /:/ ? 1 : undef));
    my $family = $addr =~ /:/ ? Socket::AF_INET6() : Socket::AF_INET();
    my $type = $proto eq 'tcp' ? Socket::SOCK_STREAM() : Socket::SOCK_DGRAM();
    socket(my $sock, $family, $type, 0) or die "fwprobe-listener: socket $spec: $!\n";
    setsockopt($sock, SOL_SOCKET, SO_REUSEADDR, 1) or die "fwprobe-listener: SO_REUSEADDR $spec: $!\n";
    if (defined $v6only) {
        setsockopt($sock, IPPROTO_IPV6, IPV6_V6ONLY, $v6only) or die "fwprobe-listener: V6ONLY $spec: $!\n";
    }
    my $packed = $family == Socket::AF_INET6()
        ? Socket::pack_sockaddr_in6($port, Socket::inet_pton($family, $addr) // die "bad address $addr\n")
        : Socket::pack_sockaddr_in($port, Socket::inet_pton($family, $addr) // die "bad address $addr\n");
    bind($sock, $packed) or die "fwprobe-listener: bind $spec: $!\n";
    if ($proto eq 'tcp') { listen($sock, 128) or die "fwprobe-listener: listen $spec: $!\n"; }
    my $pktinfo = $proto eq 'udp' ? enable_pktinfo($sock, $family, $v6only) : 0;
    $proto_of{fileno($sock)} = [$proto, $sock, $pktinfo];
    $select->add($sock);
}
$log = open_log($log_path);
print "READY\n";

while (1) {
    for my $ready ($select->can_read) {
        my ($proto, $sock, $pktinfo) = @{ $proto_of{fileno($ready)} };
        if ($proto eq 'tcp') {
            my $client;
            my $peer = accept($client, $sock) or next;
            log_received('tcp', $peer, getsockname($client) // getsockname($sock));
            syswrite($client, "fwprobe\r\n");
            close($client);
        } else {
            my $buf = '';
            my ($peer, $dst) = $pktinfo ? recv_pktinfo($sock, \$buf) : (recv($sock, $buf, 65535, 0), undef);
            next unless defined $peer && length $peer;
            log_received('udp', $peer, getsockname($sock), $dst, $buf);
            send($sock, "fwprobe\n", 0, $peer);
        }
    }
}

# ---------------------------------------------------------------------------------------------- received log
sub open_log {
    my ($path) = @_;
    return undef if $path eq 'none';
    (my $dir = $path) =~ s{/[^/]*$}{};
    if (length $dir && !-d $dir) {
        require File::Path;
        File::Path::make_path($dir, { error => \my $errors });
    }
    open(my $fh, '>>', $path) or die "fwprobe-listener: received log $path: $!\n";
    binmode $fh;
    return $fh;
}

sub now_text {
    $hires //= eval { require Time::HiRes; 1 } ? 1 : 0;
    return sprintf('%.3f', $hires ? Time::HiRes::time() : time());
}

sub addr_port {
    my ($sa) = @_;
    return ('-', '-') unless defined $sa && length $sa;
    my ($err, $host, $port) = Socket::getnameinfo($sa, Socket::NI_NUMERICHOST() | Socket::NI_NUMERICSERV());
    return ('-', '-') if $err;
    $host =~ s/^::ffff:(\d+\.\d+\.\d+\.\d+)$/$1/i;
    return ($host, $port);
}

sub escape_bytes {
    my ($s) = @_;
    $s =~ s/([\\])|([^\x20-\x7e])/defined $1 ? '\\\\' : sprintf('\\x%02x', ord $2)/ge;
    return $s;
}

sub log_received {
    my ($proto, $peer, $local, $dst, $data) = @_;
    return unless $log;
    my ($src, $sport) = addr_port($peer);
    my ($laddr, $lport) = addr_port($local);
    if (defined $dst) { $laddr = $dst =~ s/^::ffff:(\d+\.\d+\.\d+\.\d+)$/$1/ir }
    my ($len, $text) = defined $data ? (length $data, escape_bytes(substr($data, 0, 128))) : ('-', '-');
    $text = '-' if defined $data && !length $data;
    my $line = join("\t", now_text(), $proto, $src, $sport, $laddr, $lport, $len, $text) . "\n";
    # One write(2) a line, O_APPEND: never interleaved, on disk before the answer leaves.
    syswrite($log, $line) // warn "fwprobe-listener: received log: $!\n";
}

# ---------------------------------------------------------------------------------------------- UDP destination
# Perl has no recvmsg(2); it is called through syscall(2) with an LP64 little-endian struct msghdr (x86_64,
# arm64). Where that is not available, or fails in an unexpected way, the log shows the bound address.
sub enable_pktinfo {
    my ($sock, $family, $v6only) = @_;
    unless (defined $sys_recvmsg) {
        require Config;
        $sys_recvmsg = 0;
        if ($Config::Config{ptrsize} == 8 && $Config::Config{byteorder} eq '12345678') {
            local $SIG{__WARN__} = sub {};
            my $nr = eval { package main; require 'syscall.ph'; main->can('SYS_recvmsg') && main::SYS_recvmsg() };
            $sys_recvmsg = $nr if $nr;
        }
    }
    return 0 unless $sys_recvmsg;
    my $ok = 0;
    # IP_PKTINFO (SOL_IP 0, 8) for IPv4, also on a dual-stack IPv6 socket; IPV6_RECVPKTINFO (41, 49).
    $ok++ if $family == Socket::AF_INET() && setsockopt($sock, 0, 8, 1);
    if ($family == Socket::AF_INET6()) {
        $ok++ if setsockopt($sock, IPPROTO_IPV6, 49, 1);
        setsockopt($sock, 0, 8, 1) unless $v6only;
    }
    return $ok ? 1 : 0;
}

sub recv_pktinfo {
    my ($sock, $bufref) = @_;
    my $data = "\0" x 65536;
    my $name = "\0" x 128;
    my $ctrl = "\0" x 512;
    my $iov = pack('pQ', $data, length $data);
    my $msghdr = pack('pLx4pQpQix4', $name, length $name, $iov, 1, $ctrl, length $ctrl, 0);
    my $n = syscall($sys_recvmsg, fileno($sock), $msghdr, 0);
    if ($n < 0) {
        my $err = $! + 0;
        return (undef, undef) if $err == Errno::EAGAIN() || $err == Errno::EINTR();
        warn "fwprobe-listener: recvmsg: $!; falling back to recv\n";
        $proto_of{fileno($sock)}[2] = 0;
        my $peer = recv($sock, $$bufref, 65535, 0);
        return ($peer, undef);
    }
    $$bufref = substr($data, 0, $n);
    my ($namelen) = unpack('x8L', $msghdr);
    my ($ctrllen) = unpack('x40Q', $msghdr);
    my $peer = substr($name, 0, $namelen);
    my $dst;
    my $off = 0;
    while ($off + 16 <= $ctrllen) {
        my ($len, $level, $type) = unpack("x${off}Qii", $ctrl);
        last if $len < 16 || $off + $len > $ctrllen;
        my $payload = substr($ctrl, $off + 16, $len - 16);
        if ($level == 0 && $type == 8 && length $payload >= 12) {
            $dst = Socket::inet_ntop(Socket::AF_INET(), substr($payload, 8, 4));
        } elsif ($level == IPPROTO_IPV6 && $type == 50 && length $payload >= 16) {
            $dst = Socket::inet_ntop(Socket::AF_INET6(), substr($payload, 0, 16));
        }
        $off += ($len + 7) & ~7;
    }
    return ($peer, $dst);
}
