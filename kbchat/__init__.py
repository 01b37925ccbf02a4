"""kbchat: a cited, guarded chat assistant about kratom and mood."""
