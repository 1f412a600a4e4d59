"""The W3C Nu HTML checker over the server's pages."""
