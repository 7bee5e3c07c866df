# Writable QoS tables inside net-snmp's snmpd (embedded Perl: `perl do "qos_sim.pl";`), the device
# side of the SNMP adapter's integration tests.
#
# SNMP encoding, USM, VACM and the SET phases (RESERVE1, RESERVE2, ACTION, COMMIT, FREE, UNDO)
# are snmpd's own; only the table logic lives here. Changes are staged in RESERVE1, checked in
# RESERVE2 and applied in COMMIT, so a multi-varbind SET is atomic: one bad varbind and nothing
# is applied.
#
# Tables (entry OIDs):
#   docsIetfQosServiceClassTable  1.3.6.1.2.1.127.1.8.1 (DOCS-IETF-QOS-MIB, RFC 4323),
#       index docsIetfQosServiceClassName (SnmpAdminString 1..15, length-prefixed)
#   reservation label table       1.3.6.1.4.1.8072.9999.9999.127.1.1 (NET-SNMP-MIB playpen),
#       same index; 2 reservation id, 3 InetAddressType, 4 InetAddress, 5 RowStatus
#   DiffServ-style policer table  1.3.6.1.4.1.8072.9999.9999.97.1.1, index Unsigned32 1..2^31-1
#   the same policer table, small 1.3.6.1.4.1.8072.9999.9999.97.2.1 (QOS_SIM_SMALL_ROWS rows)
#   status scalars                1.3.6.1.4.1.8072.9999.9999.0: .1.0 name, .2.0 SET requests seen
#
# RowStatus (RFC 2579): createAndGo / createAndWait on an existing row and active / notInService
# on a missing row give inconsistentValue; a column SET on a missing row without createAnd* gives
# inconsistentName; notReady(3) cannot be set (wrongValue); destroy of a missing row is a no-op.
# Simulator rules: more rows than the table's limit give resourceUnavailable; in the service-class
# table MinReservedRate > MaxTrafficRate (MaxTrafficRate != 0) gives inconsistentValue; an
# InetAddress whose length does not fit its InetAddressType gives inconsistentValue; a policer row
# without reservation id, address or rate cannot become active (inconsistentValue).
use strict;
use warnings;
use NetSNMP::agent (':all');
use NetSNMP::ASN (':all');
use NetSNMP::OID;

my $PLAYPEN = '1.3.6.1.4.1.8072.9999.9999';
my $MAX_ROWS = $ENV{QOS_SIM_MAX_ROWS} || 1000;
my $SMALL_ROWS = $ENV{QOS_SIM_SMALL_ROWS} || 2;
my $LOG;
if ($ENV{QOS_SIM_LOG}) {
    open($LOG, '>>', $ENV{QOS_SIM_LOG}) or undef $LOG;
}

sub printable {
    my ($v) = @_;
    return '' unless defined $v;
    return $v =~ /[^\x20-\x7e]/ ? '0x' . unpack('H*', $v) : $v;
}

sub logline {
    return unless $LOG;
    print $LOG join(' ', @_), "\n";
    $LOG->flush();
}

# column: type i (INTEGER), u (Gauge32/Unsigned32), s (OCTET STRING); min/max for numbers,
# minlen/maxlen for strings; def the value of a new row; ro for read-only.
sub col_i { my ($min, $max, $def) = @_; return { type => 'i', min => $min, max => $max, def => $def }; }
sub col_u { my ($def) = @_; return { type => 'u', min => 0, max => 4294967295, def => $def }; }
sub col_s { my ($minlen, $maxlen, $def, $ro) = @_; return { type => 's', minlen => $minlen, maxlen => $maxlen, def => $def, ro => $ro }; }

my %service_class = (
    name => 'docsIetfQosServiceClassTable', entry => '1.3.6.1.2.1.127.1.8.1', index => 'admin-string',
    status => 2, max => $MAX_ROWS,
    cols => {
        3 => col_i(0, 7, 0), 4 => col_u(0), 5 => col_u(3044), 6 => col_u(0), 7 => col_i(0, 65535, 0), 8 => col_i(0, 65535, 1522),
        9 => col_u(0), 10 => col_u(0), 11 => col_i(0, 65535, 0), 12 => col_u(0), 13 => col_u(0), 14 => col_i(0, 127, 0),
        15 => col_u(0), 16 => col_i(0, 65535, 0), 17 => col_i(0, 65535, 200), 18 => col_i(1, 6, 2),
        19 => col_s(4, 4, "\0\0\0\0"), 20 => col_s(1, 1, "\xFF", 1), 21 => col_s(1, 1, "\0", 1),
        22 => col_i(1, 2, 2), 23 => col_i(1, 3, 3), 24 => col_i(-1, 63, -1),
    },
    check => sub {
        my ($row) = @_;
        return 'inconsistentValue' if $row->{4} != 0 && $row->{6} > $row->{4};
        return undef;
    },
);

my %label = (
    name => 'reservationLabelTable', entry => "$PLAYPEN.127.1.1", index => 'admin-string',
    status => 5, max => $MAX_ROWS,
    cols => { 2 => col_s(0, 255, ''), 3 => col_i(0, 16, 0), 4 => col_s(0, 255, '') },
    check => \&address_fits,
    ready => sub { return length($_[0]->{2}) > 0; },
);

sub policer {
    my ($name, $entry, $max) = @_;
    return (
        name => $name, entry => $entry, index => 'integer', status => 12, max => $max,
        cols => {
            2 => col_s(0, 255, ''), 3 => col_i(0, 16, 0), 4 => col_s(0, 255, ''), 5 => col_i(0, 128, 0),
            6 => col_i(1, 2, 1), 7 => col_i(-1, 63, -1), 8 => col_u(0), 9 => col_i(0, 100000000, 0), 10 => col_u(0),
            11 => col_i(1, 5, 3),
        },
        check => \&address_fits,
        ready => sub { my ($r) = @_; return length($r->{2}) > 0 && $r->{3} != 0 && $r->{8} > 0; },
    );
}
my %policer = policer('policerTable', "$PLAYPEN.97.1.1", $MAX_ROWS);
my %small_policer = policer('smallPolicerTable', "$PLAYPEN.97.2.1", $SMALL_ROWS);

sub address_fits {
    my ($row) = @_;
    my ($type, $len) = ($row->{3}, length($row->{4}));
    return 'inconsistentValue' if ($type == 1 && $len != 4) || ($type == 2 && $len != 16);
    return undef;
}

my @TABLES = (\%service_class, \%label, \%policer, \%small_policer);
for my $t (@TABLES) {
    $t->{rows} = {};            # key (index sub-identifiers joined by '.') -> { col -> value, _idx -> [...] }
    $t->{entry_arr} = [split /\./, $t->{entry}];
    $t->{pending} = undef;      # key -> { col -> value } staged by the SET in progress
}

my $set_requests = 0;
my $in_set = 0;

# ---------------------------------------------------------------- OIDs and values

sub cmp_arr {
    my ($a, $b) = @_;
    my $n = @$a < @$b ? scalar(@$a) : scalar(@$b);
    for (my $k = 0; $k < $n; $k++) {
        return $a->[$k] <=> $b->[$k] if $a->[$k] != $b->[$k];
    }
    return scalar(@$a) <=> scalar(@$b);
}

# (column, [index]) of an OID under the table's entry, or () when it is not under it.
sub split_oid {
    my ($t, $oid) = @_;
    my @o = $oid->to_array();
    my @e = @{$t->{entry_arr}};
    return () if @o <= @e;
    for (my $k = 0; $k < @e; $k++) {
        return () if $o[$k] != $e[$k];
    }
    return ($o[scalar @e], [@o[scalar(@e) + 1 .. $#o]]);
}

sub index_ok {
    my ($t, $idx) = @_;
    if ($t->{index} eq 'integer') {
        return @$idx == 1 && $idx->[0] >= 1 && $idx->[0] <= 2147483647;
    }
    return 0 if @$idx < 2 || $idx->[0] != @$idx - 1 || $idx->[0] > 15;
    for my $c (@$idx[1 .. $#$idx]) {
        return 0 if $c > 255;
    }
    return 1;
}

sub asn_type {
    my ($type) = @_;
    return $type eq 'i' ? ASN_INTEGER : $type eq 'u' ? ASN_GAUGE : ASN_OCTET_STR;
}

# getValue() gives the printed form: digits, or "..." with \" escapes, or "0A 00 FF " for octets
# that are not printable.
sub decode {
    my ($type, $printed) = @_;
    return $printed if $type ne 's';
    return undef unless $printed =~ /^"(.*)"$/s;
    my $s = $1;
    if ($s =~ /^(?:[0-9A-Fa-f]{2} )+$/) {
        $s =~ s/ //g;
        return pack('H*', $s);
    }
    $s =~ s/\\(.)/$1/g;
    return $s;
}

sub answer {
    my ($req, $t, $col, $row) = @_;
    my $type = $col == $t->{status} ? 'i' : $t->{cols}{$col}{type};
    $req->setValue(asn_type($type), $row->{$col});
}

sub columns {
    my ($t) = @_;
    return sort { $a <=> $b } ($t->{status}, keys %{$t->{cols}});
}

# Rows in index order; cached until the next COMMIT changes the table.
sub sorted_rows {
    my ($t) = @_;
    $t->{sorted} ||= [sort { cmp_arr($a->{_idx}, $b->{_idx}) } values %{$t->{rows}}];
    return $t->{sorted};
}

# ---------------------------------------------------------------- reads

sub get_next {
    my ($t, $req) = @_;
    my @o = $req->getOID()->to_array();
    my @e = @{$t->{entry_arr}};
    my ($col, $after) = (0, undef);
    my $c = cmp_arr([@o[0 .. ($#o < $#e ? $#o : $#e)]], \@e);
    if ($c > 0) {
        return;
    }
    if ($c == 0 && @o > @e) {
        $col = $o[scalar @e];
        $after = [@o[scalar(@e) + 1 .. $#o]];
    }
    my $rows = sorted_rows($t);
    for my $k (columns($t)) {
        next if $k < $col;
        my $first = 0;
        if ($k == $col && defined $after && @$after) {
            my ($lo, $hi) = (0, scalar @$rows);    # first row whose index is greater than $after
            while ($lo < $hi) {
                my $mid = int(($lo + $hi) / 2);
                if (cmp_arr($rows->[$mid]{_idx}, $after) <= 0) {
                    $lo = $mid + 1;
                } else {
                    $hi = $mid;
                }
            }
            $first = $lo;
        }
        next if $first >= @$rows;
        my $row = $rows->[$first];
        $req->setOID('.' . join('.', @e, $k, @{$row->{_idx}}));
        answer($req, $t, $k, $row);
        return;
    }
}

sub get {
    my ($t, $req) = @_;
    my ($col, $idx) = split_oid($t, $req->getOID());
    return unless defined $col;
    my $row = $t->{rows}{join('.', @$idx)};
    return unless $row && ($col == $t->{status} || $t->{cols}{$col});
    answer($req, $t, $col, $row);
}

# ---------------------------------------------------------------- writes

sub reserve1 {
    my ($t, $req, $info) = @_;
    my ($col, $idx) = split_oid($t, $req->getOID());
    return $req->setError($info, SNMP_ERR_NOCREATION) unless defined $col && @$idx;
    return $req->setError($info, SNMP_ERR_NOTWRITABLE) if $col == 1;
    my $spec = $col == $t->{status} ? { type => 'i', min => 1, max => 6 } : $t->{cols}{$col};
    return $req->setError($info, SNMP_ERR_NOCREATION) unless $spec;
    return $req->setError($info, SNMP_ERR_NOTWRITABLE) if $spec->{ro};
    return $req->setError($info, SNMP_ERR_NOCREATION) unless index_ok($t, $idx);
    return $req->setError($info, SNMP_ERR_WRONGTYPE) if $req->getType() != asn_type($spec->{type});
    my $v = decode($spec->{type}, $req->getValue());
    return $req->setError($info, SNMP_ERR_WRONGENCODING) unless defined $v;
    if ($spec->{type} eq 's') {
        my $len = length($v);
        return $req->setError($info, SNMP_ERR_WRONGLENGTH) if $len < $spec->{minlen} || $len > $spec->{maxlen};
    } else {
        return $req->setError($info, SNMP_ERR_WRONGVALUE) if $v !~ /^-?\d+$/ || $v < $spec->{min} || $v > $spec->{max};
        return $req->setError($info, SNMP_ERR_WRONGVALUE) if $col == $t->{status} && $v == 3;
    }
    my $key = join('.', @$idx);
    $t->{pending}{$key}{_idx} = $idx;
    $t->{pending}{$key}{$col} = $v;
}

sub ready {
    my ($t, $row) = @_;
    return $t->{ready} ? $t->{ready}->($row) : 1;
}

sub merged {
    my ($t, $key, $staged) = @_;
    my %row;
    if (my $old = $t->{rows}{$key}) {
        %row = %$old;
    } else {
        $row{$_} = $t->{cols}{$_}{def} for keys %{$t->{cols}};
    }
    for my $k (keys %$staged) {
        $row{$k} = $staged->{$k} unless $k eq '_idx' || $k == $t->{status};
    }
    return \%row;
}

# The error of one staged row, or undef.
sub verdict {
    my ($t, $key, $staged, $created) = @_;
    my $exists = exists $t->{rows}{$key};
    my $rs = $staged->{$t->{status}};
    return undef if defined $rs && $rs == 6;
    my $row = merged($t, $key, $staged);
    if (defined $rs && ($rs == 4 || $rs == 5)) {
        return 'inconsistentValue' if $exists;
        return 'resourceUnavailable' if scalar(keys %{$t->{rows}}) + $created > $t->{max};
        return 'inconsistentValue' if $rs == 4 && !ready($t, $row);
    } elsif (defined $rs) {
        return 'inconsistentValue' unless $exists;
        return 'inconsistentValue' if $rs == 1 && !ready($t, $row);
    } elsif (!$exists) {
        return 'inconsistentName';
    }
    return $t->{check} ? $t->{check}->($row) : undef;
}

my %ERR = (
    inconsistentValue => SNMP_ERR_INCONSISTENTVALUE,
    inconsistentName => 18,
    resourceUnavailable => SNMP_ERR_RESOURCEUNAVAILABLE,
);

sub reserve2 {
    my ($t, $requests, $info) = @_;
    my ($created, %bad) = (0);
    for my $key (sort keys %{$t->{pending} || {}}) {
        my $staged = $t->{pending}{$key};
        my $rs = $staged->{$t->{status}};
        $created++ if defined $rs && ($rs == 4 || $rs == 5) && !exists $t->{rows}{$key};
        my $err = verdict($t, $key, $staged, $created);
        $bad{$key} = $err if $err;
    }
    for (my $req = $requests; $req; $req = $req->next()) {
        my ($col, $idx) = split_oid($t, $req->getOID());
        next unless defined $col;
        my $key = join('.', @$idx);
        if (my $err = delete $bad{$key}) {
            $req->setError($info, $ERR{$err});
        }
    }
}

sub commit {
    my ($t) = @_;
    for my $key (keys %{$t->{pending} || {}}) {
        my $staged = $t->{pending}{$key};
        my $rs = $staged->{$t->{status}};
        if (defined $rs && $rs == 6) {
            delete $t->{rows}{$key};
            logline('destroy', $t->{name}, $key);
            next;
        }
        my $row = merged($t, $key, $staged);
        $row->{_idx} = $staged->{_idx};
        my $old = $t->{rows}{$key} ? $t->{rows}{$key}{$t->{status}} : 3;
        $row->{$t->{status}} = !defined $rs ? ($old == 3 && ready($t, $row) ? 2 : $old)
            : $rs == 4 || $rs == 1 ? 1
            : ready($t, $row) ? 2 : 3;
        $t->{rows}{$key} = $row;
        logline('write', $t->{name}, $key, map { "$_=" . printable($staged->{$_}) }
            grep { $_ ne '_idx' } sort keys %$staged);
    }
    $t->{pending} = undef;
    $t->{sorted} = undef;
}

sub table_handler {
    my ($t) = @_;
    return sub {
        my ($handler, $reg, $info, $requests) = @_;
        my $mode = $info->getMode();
        if ($mode == MODE_SET_RESERVE1) {
            if (!$in_set) {
                $in_set = 1;
                $set_requests++;
            }
            for (my $req = $requests; $req; $req = $req->next()) {
                reserve1($t, $req, $info);
            }
        } elsif ($mode == MODE_SET_RESERVE2) {
            reserve2($t, $requests, $info);
        } elsif ($mode == MODE_SET_COMMIT) {
            commit($t);
            $in_set = 0;
        } elsif ($mode == MODE_SET_FREE || $mode == MODE_SET_UNDO) {
            $t->{pending} = undef;
            $in_set = 0;
        } elsif ($mode == MODE_GET) {
            for (my $req = $requests; $req; $req = $req->next()) {
                get($t, $req);
            }
        } elsif ($mode == MODE_GETNEXT) {
            for (my $req = $requests; $req; $req = $req->next()) {
                get_next($t, $req);
            }
        }
    };
}

sub status_handler {
    my ($handler, $reg, $info, $requests) = @_;
    my $mode = $info->getMode();
    my @scalars = (["$PLAYPEN.0.1.0", ASN_OCTET_STR, 'qos-sim'], ["$PLAYPEN.0.2.0", ASN_COUNTER, $set_requests]);
    for (my $req = $requests; $req; $req = $req->next()) {
        my @o = $req->getOID()->to_array();
        my $oid = join('.', @o);
        if ($mode == MODE_GET) {
            for my $s (@scalars) {
                $req->setValue($s->[1], $s->[2]) if $s->[0] eq $oid;
            }
        } elsif ($mode == MODE_GETNEXT) {
            for my $s (@scalars) {
                if (cmp_arr([split /\./, $s->[0]], \@o) > 0) {
                    $req->setOID(".$s->[0]");
                    $req->setValue($s->[1], $s->[2]);
                    last;
                }
            }
        } elsif ($mode == MODE_SET_RESERVE1) {
            $req->setError($info, SNMP_ERR_NOTWRITABLE);
        }
    }
}

for my $t (@TABLES) {
    $main::agent->register($t->{name}, '.' . $t->{entry}, table_handler($t));
}
$main::agent->register('qosSimStatus', ".$PLAYPEN.0", \&status_handler);
logline('loaded', map { $_->{name} } @TABLES);
