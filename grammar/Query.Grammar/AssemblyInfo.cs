// antlr-ng marks its generated types [CLSCompliant(false)], which is only legal when the assembly states
// its compliance; the AST itself has nothing to gain from CLS compliance.
[assembly: CLSCompliant(false)]
