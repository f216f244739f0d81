#!/usr/bin/perl
# fwprobe's nf_tables trace reader for the attribution phase (src/lab/trace/), installed in the target image
# as fwprobe-nftrace.
#
#   nftrace monitor SECONDS MAX_LINES   print every trace event until SIGTERM, the deadline or MAX_LINES
#   nftrace rules                        print every rule's family, table, chain and handle, in chain order
#   nftrace deltable FAMILY TABLE        delete a table (fwprobe's own raw table, once its trace rules are gone:
#                                        iptables-nft has no command for that)
#
# Why not xtables-monitor --trace: iptables 1.8.9's monitor cannot print an ip6tables rule with a port match
# ("unsupported layer 4 protocol value") and exits at the first one, so every IPv6 trace after it is lost.
# This reads the same netlink events (NFNLGRP_NFTRACE) and prints handles; fwprobe maps a handle to the
# rule's position in its chain (the `rules` dump) and so to the line iptables-save prints.
#
# Output, tab-separated, one line each:
#   P ID NFPROTO L4PROTO SRC SPORT DST DPORT         the packet, when the kernel includes its headers
#   T ID TABLEFAMILY TABLE CHAIN TYPE HANDLE VERDICT JUMP
#       TYPE rule|return|policy; HANDLE "-" for a policy; VERDICT accept|drop|continue|jump|goto|return|...
#   R FAMILY TABLE CHAIN HANDLE
#   #ready, #end, #overflow (the kernel dropped events: the trace is incomplete), #limit (MAX_LINES reached)
use strict;
use warnings;
use Socket qw(AF_INET AF_INET6 SOCK_RAW SOL_SOCKET inet_ntop);

$| = 1;
my ($AF_NETLINK, $NETLINK_NETFILTER, $SOL_NETLINK, $ADD_MEMBERSHIP, $NFTRACE_GROUP) = (16, 12, 270, 1, 9);
my ($NLMSG_ERROR, $NLMSG_DONE) = (2, 3);
my $SUBSYS = 10 << 8;
my ($MSG_NEWRULE, $MSG_GETRULE, $MSG_TRACE) = (6, 7, 17);
my %TYPE = (1 => 'policy', 2 => 'return', 3 => 'rule');
my %VERDICT = (0 => 'drop', 1 => 'accept', 2 => 'stolen', 3 => 'queue', 4 => 'repeat', 5 => 'stop',
    -1 => 'continue', -2 => 'break', -3 => 'jump', -4 => 'goto', -5 => 'return');

my $mode = shift // '';
socket(my $nl, $AF_NETLINK, SOCK_RAW, $NETLINK_NETFILTER) or die "nftrace: netlink socket: $!\n";
bind($nl, pack('S x2 L L', $AF_NETLINK, 0, 0)) or die "nftrace: bind: $!\n";
if ($mode eq 'rules') { dump_rules() }
elsif ($mode eq 'monitor') { monitor(@ARGV) }
elsif ($mode eq 'deltable') { del_table(@ARGV) }
else { die "usage: nftrace monitor SECONDS MAX_LINES | nftrace rules\n" }
exit 0;

sub monitor {
    my ($seconds, $max) = @_;
    die "nftrace: bad arguments\n" unless ($seconds // '') =~ /^\d+$/ && ($max // '') =~ /^\d+$/;
    # SO_RCVBUFFORCE (needs NET_ADMIN): a burst of probes must not overflow the socket.
    setsockopt($nl, SOL_SOCKET, 33, pack('i', 8 << 20)) or setsockopt($nl, SOL_SOCKET, 8, pack('i', 8 << 20));
    setsockopt($nl, $SOL_NETLINK, $ADD_MEMBERSHIP, pack('i', $NFTRACE_GROUP)) or die "nftrace: join trace group: $!\n";
    my $lines = 0;
    local $SIG{TERM} = sub { print "#end\n"; exit 0 };
    local $SIG{ALRM} = sub { print "#end\n"; exit 0 };
    alarm($seconds);
    print "#ready\n";
    while (1) {
        my $buf = '';
        my $got = recv($nl, $buf, 1 << 16, 0);
        if (!defined $got) {
            next if $!{EINTR};
            if ($!{ENOBUFS}) { print "#overflow\n"; next }
            die "nftrace: recv: $!\n";
        }
        for my $msg (messages($buf)) {
            my ($type, $family, $attrs) = @$msg;
            next unless $type == ($SUBSYS | $MSG_TRACE);
            for my $line (trace_lines($family, $attrs)) {
                if (++$lines > $max) { print "#limit\n#end\n"; exit 0 }
                print $line, "\n";
            }
        }
    }
}

sub dump_rules {
    my $seq = time;
    my $req = pack('L S S L L C C n', 20, $SUBSYS | $MSG_GETRULE, 0x1 | 0x300, $seq, 0, 0, 0, 0);
    send($nl, $req, 0) or die "nftrace: send: $!\n";
    while (1) {
        my $buf = '';
        defined recv($nl, $buf, 1 << 20, 0) or die "nftrace: recv: $!\n";
        for my $msg (messages($buf)) {
            my ($type, $family, $attrs, $error) = @$msg;
            if ($type == $NLMSG_DONE) { print "#end\n"; return }
            die "nftrace: rule dump failed: error $error\n" if $type == $NLMSG_ERROR && $error;
            next unless $type == ($SUBSYS | $MSG_NEWRULE);
            my %a = attrs($attrs);
            printf "R\t%d\t%s\t%s\t%s\n", $family, str($a{1}), str($a{2}), u64($a{3});
        }
    }
}

sub del_table {
    my ($family, $table) = @_;
    die "nftrace: bad arguments\n" unless ($family // '') =~ /^(2|10)$/ && ($table // '') =~ /^[a-z]{1,32}$/;
    my $seq = time;
    # nf_tables changes go in a batch: BEGIN, DELTABLE (with an ACK), END.
    my $name = pack('Z*', $table);
    my $attr = pack('S S', 4 + length $name, 1) . $name . ("\0" x ((4 - length($name) % 4) % 4));
    my $msg = sub { my ($type, $flags, $fam, $res, $body) = @_;
        pack('L S S L L C C n', 20 + length $body, $type, $flags, $seq++, 0, $fam, 0, $res) . $body };
    my $batch = $msg->(0x10, 0x1, 0, $SUBSYS >> 8, '') . $msg->($SUBSYS | 2, 0x1 | 0x4, $family, 0, $attr) . $msg->(0x11, 0x1, 0, $SUBSYS >> 8, '');
    send($nl, $batch, 0) or die "nftrace: send: $!\n";
    my $buf = '';
    defined recv($nl, $buf, 1 << 16, 0) or die "nftrace: recv: $!\n";
    for my $m (messages($buf)) {
        my ($type, undef, undef, $error) = @$m;
        die "nftrace: deleting table $table failed: error $error\n" if $type == $NLMSG_ERROR && $error;
    }
    print "#end\n";
}

# [type, nfgen family, attribute bytes, error] for each netlink message in a datagram.
sub messages {
    my ($buf) = @_;
    my @out;
    while (length($buf) >= 16) {
        my ($len, $type) = unpack('L S', $buf);
        last if $len < 16 || $len > length($buf);
        my $body = substr($buf, 16, $len - 16);
        if ($type == $NLMSG_ERROR) { push @out, [$type, 0, '', unpack('l', $body)] }
        elsif ($type == $NLMSG_DONE) { push @out, [$type, 0, '', 0] }
        elsif (length($body) >= 4) { push @out, [$type, unpack('C', $body), substr($body, 4), 0] }
        $buf = substr($buf, ($len + 3) & ~3);
    }
    return @out;
}

sub attrs {
    my ($buf) = @_;
    my %a;
    while (length($buf) >= 4) {
        my ($len, $type) = unpack('S S', $buf);
        last if $len < 4 || $len > length($buf);
        $a{$type & 0x3fff} = substr($buf, 4, $len - 4);
        $buf = substr($buf, ($len + 3) & ~3);
    }
    return %a;
}

sub str { my ($v) = @_; return '-' unless defined $v; $v =~ s/\0.*//s; $v =~ s/[^\x21-\x7e]/?/g; length $v ? $v : '-' }
sub u32 { defined $_[0] && length $_[0] >= 4 ? unpack('N', $_[0]) : undef }
sub u64 { return '-' unless defined $_[0] && length $_[0] >= 8; my ($hi, $lo) = unpack('N N', $_[0]); $hi * 4294967296 + $lo }

sub trace_lines {
    my ($family, $buf) = @_;
    my %a = attrs($buf);
    my $id = sprintf('%08x', u32($a{6}) // 0);
    my $nfproto = u32($a{15}) // $family;
    my @lines;
    if (defined $a{8}) {
        my ($l4, $src, $dst) = network($nfproto, $a{8});
        my ($sport, $dport) = defined $a{9} && length $a{9} >= 4 ? unpack('n n', $a{9}) : ('-', '-');
        push @lines, join("\t", 'P', $id, $nfproto, $l4, $src, $sport, $dst, $dport) if defined $src;
    }
    my $type = $TYPE{u32($a{4}) // 0} // 'unknown';
    my ($verdict, $jump) = ('-', '-');
    if ($type eq 'policy') {
        my $p = u32($a{16});
        $verdict = defined $p ? ($VERDICT{$p & 0xff} // "code$p") : '-';
    } elsif (defined $a{5}) {
        my %v = attrs($a{5});
        my $code = defined $v{1} ? unpack('l>', $v{1}) : undef;
        $verdict = !defined $code ? '-' : $code < 0 ? ($VERDICT{$code} // "code$code") : ($VERDICT{$code & 0xff} // "code$code");
        $jump = str($v{2});
    }
    push @lines, join("\t", 'T', $id, $family, str($a{1}), str($a{2}), $type, $type eq 'policy' ? '-' : u64($a{3}), $verdict, $jump);
    return @lines;
}

sub network {
    my ($nfproto, $h) = @_;
    if ($nfproto == 2 && length $h >= 20) {
        return (unpack('C', substr($h, 9, 1)), inet_ntop(AF_INET, substr($h, 12, 4)), inet_ntop(AF_INET, substr($h, 16, 4)));
    }
    if ($nfproto == 10 && length $h >= 40) {
        return (unpack('C', substr($h, 6, 1)), inet_ntop(AF_INET6, substr($h, 8, 16)), inet_ntop(AF_INET6, substr($h, 24, 16)));
    }
    return;
}
