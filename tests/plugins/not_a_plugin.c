/* A shared object that is not a Vindu plugin: it has no entry symbol. */
int vindu_something_else(void);

int
vindu_something_else(void)
{
  return 42;
}
