"""How well listings fit a prospect: ``facts`` (what a listing offers), ``checks`` (one
topic against those facts), ``score`` (the 0–100 fit and ranking) and ``context``
(whose priorities, which facts). No request objects here: ``portal.prospects.current``
builds the browsing visitor's context."""
