namespace HueyP.Node.Dashboard.Assets;

/// <summary>The login page: the admin token in, a session cookie out (the token is checked by the node, never stored by the browser).</summary>
internal static class LoginHtml
{
    public const string Content = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HueyP — sign in</title>
<link rel="icon" href="/assets/favicon.svg">
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body class="login-page">
<main class="login">
  <h1>HueyP flight deck</h1>
  <p>This node's dashboard needs its admin token. On the node's machine: <code>cat run/admin.token</code></p>
  <!--error-->
  <form method="post" action="/login" autocomplete="off">
    <label for="token">Admin token</label>
    <input id="token" name="token" type="password" required autofocus spellcheck="false">
    <button type="submit" id="sign-in">Sign in</button>
  </form>
  <p class="hint">The token is exchanged for a session cookie (HttpOnly, SameSite=Strict); the dashboard is read-only until you confirm an action.</p>
</main>
</body>
</html>
""";
}
