package dev.tween.api;

import dev.tween.keys.Principal;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Who is calling: a Bearer key from the configuration or one made through the admin routes becomes
 * the request's {@link Principal}; anything else is a 401.
 */
record Authentication(ApiKeys keys, AccountRoutes accounts) {
  private static final String TENANT = "tween.tenant";
  private static final String PRINCIPAL = "tween.principal";

  void authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    // EventSource cannot send headers: the event stream alone also takes the key as ?key=.
    if (header == null && ctx.path().endsWith("/events")) header = ctx.queryParam("key");
    String sent = header;
    var principal =
        keys.tenantOf(sent)
            .map(Principal::configured)
            .or(() -> ApiKeys.secretOf(sent).flatMap(accounts::authenticate));
    if (principal.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401,
          "UNAUTHORIZED",
          header == null ? "missing API key: send Authorization: Bearer <key>" : "unknown API key",
          Map.of());
    }
    ctx.attribute(TENANT, principal.get().tenant());
    ctx.attribute(PRINCIPAL, principal.get());
  }

  /** The tenant of an authenticated request. */
  static String tenant(Context ctx) {
    return ctx.attribute(TENANT);
  }

  /** The principal of an authenticated request. */
  static Principal principal(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }
}
