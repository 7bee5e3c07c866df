package org.arbiter.core.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An AA-Request (TS 29.214 §5.6.1) as the engine sees it: decoded, typed, free of AVP codes.
 *
 * <p>The Diameter front end builds it; nothing in it refers to the wire. An update AAR carries the
 * same {@link #sessionId()} as the initial one; the ledger decides which it is.
 *
 * @param sessionId Session-Id
 * @param originHost Origin-Host of the requesting AF (the P-CSCF)
 * @param originRealm Origin-Realm of the requesting AF
 * @param subscriptionIds Subscription-Id values, possibly empty
 * @param framedIpAddress the UE address from Framed-IP-Address or Framed-IPv6-Prefix, textual, or
 *     {@code null} when absent
 * @param components the Media-Component-Descriptions
 * @param specificActions the events the AF subscribed to
 * @param afChargingIdentifier AF-Charging-Identifier, or {@code null}
 * @param afApplicationIdentifier AF-Application-Identifier, or {@code null}
 * @param authorizationLifetime Authorization-Lifetime, or {@code null} when absent
 * @param receivedAt when the request arrived
 */
public record RxRequest(
        String sessionId,
        String originHost,
        String originRealm,
        List<SubscriptionId> subscriptionIds,
        String framedIpAddress,
        List<MediaComponent> components,
        Set<SpecificAction> specificActions,
        String afChargingIdentifier,
        String afApplicationIdentifier,
        Duration authorizationLifetime,
        Instant receivedAt) {

    public RxRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(originHost, "originHost");
        subscriptionIds = List.copyOf(Objects.requireNonNull(subscriptionIds, "subscriptionIds"));
        components = List.copyOf(Objects.requireNonNull(components, "components"));
        specificActions = copyOf(Objects.requireNonNull(specificActions, "specificActions"));
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** An unmodifiable copy in the enum's order: a bit set, cheaper to copy and to query than {@link Set#copyOf}. */
    private static Set<SpecificAction> copyOf(Set<SpecificAction> actions) {
        if (actions.isEmpty()) {
            return Set.of();
        }
        return Collections.unmodifiableSet(EnumSet.copyOf(actions));
    }

    /** The first Subscription-Id's data, or {@code null}. */
    public String subscriber() {
        return subscriptionIds.isEmpty() ? null : subscriptionIds.getFirst().data();
    }
}
