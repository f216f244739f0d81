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
use strict;
use warnings;
use IO::Socket::IP;
use IO::Select;
use Socket qw(IPPROTO_IPV6 IPV6_V6ONLY SOL_SOCKET SO_REUSEADDR);

$| = 1;

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

my $select = IO::Select->new;
my %proto_of;

die "usage: fwprobe-listener tcp|udp:PORT:BIND ...\n" unless @ARGV;
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
    $proto_of{fileno($sock)} = [$proto, $sock];
    $select->add($sock);
}
print "READY\n";

while (1) {
    for my $ready ($select->can_read) {
        my ($proto, $sock) = @{ $proto_of{fileno($ready)} };
        if ($proto eq 'tcp') {
            my $client;
            accept($client, $sock) or next;
            syswrite($client, "fwprobe\r\n");
            close($client);
        } else {
            my $buf = '';
            my $peer = recv($sock, $buf, 65535, 0);
            send($sock, "fwprobe\n", 0, $peer) if defined $peer && length $peer;
        }
    }
}
