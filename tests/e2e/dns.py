"""DNS questions to the e2e CoreDNS, the way a Pod's resolver would ask them."""

from __future__ import annotations

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype


class Resolver:
    """Asks one DNS server on 127.0.0.1 directly (no search path, no caching)."""

    def __init__(self, port: int) -> None:
        self.port = port

    def _answers(self, name: str, rdtype: dns.rdatatype.RdataType) -> list[str]:
        query = dns.message.make_query(name if name.endswith(".") else name + ".", rdtype)
        response = dns.query.udp(query, "127.0.0.1", port=self.port, timeout=3)
        if response.rcode() == dns.rcode.NXDOMAIN:
            return []
        return sorted(
            rdata.to_text()
            for rrset in response.answer
            if rrset.rdtype == rdtype
            for rdata in rrset
        )

    def a(self, name: str) -> list[str]:
        """The A records of ``name``, sorted; [] when the name does not exist."""
        return self._answers(name, dns.rdatatype.A)

    def srv(self, name: str) -> list[tuple[int, str]]:
        """(port, target) of each SRV record of ``name``, sorted by target."""
        records = []
        for text in self._answers(name, dns.rdatatype.SRV):
            _priority, _weight, port, target = text.split()
            records.append((int(port), target.rstrip(".")))
        return sorted(records, key=lambda record: record[1])
