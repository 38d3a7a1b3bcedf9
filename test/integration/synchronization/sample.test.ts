import { describe, expect, it } from 'vitest';
import { chooseSample, isGuestUser, namedUsers, UnknownUserError } from '../../../electron/backend/synchronization/sample.ts';
import { graphUserToSource, type GraphUser } from '../../../shared/directory/graph-to-source.ts';

const plain = (i: number): GraphUser => ({ id: `p${i}`, userPrincipalName: `user${i}@contoso.com`, givenName: `User${i}`, surname: 'Plain', accountEnabled: true, manager: { id: 'p0' } }) as GraphUser;

describe('the expression check sample', () => {
  const graphUsers: GraphUser[] = [
    ...Array.from({ length: 20 }, (_, i) => plain(i)),
    { id: 'guest', userPrincipalName: 'ann_fabrikam.com#EXT#@contoso.onmicrosoft.com', givenName: 'Ann', surname: 'Guest', accountEnabled: true, manager: { id: 'p0' } } as GraphUser,
    { id: 'disabled', userPrincipalName: 'dis@contoso.com', givenName: 'Dis', surname: 'Abled', accountEnabled: false, manager: { id: 'p0' } } as GraphUser,
    { id: 'accent', userPrincipalName: 'zoe@contoso.com', givenName: 'Zoë', surname: 'Ångström', accountEnabled: true, manager: { id: 'p0' } } as GraphUser,
    { id: 'long', userPrincipalName: 'long@contoso.com', givenName: 'L'.repeat(80), surname: 'Long', accountEnabled: true, manager: { id: 'p0' } } as GraphUser,
    { id: 'nosurname', userPrincipalName: 'mono@contoso.com', givenName: 'Mono', surname: null, accountEnabled: true, manager: { id: 'p0' } } as GraphUser,
    { id: 'nomanager', userPrincipalName: 'top@contoso.com', givenName: 'Top', surname: 'Boss', accountEnabled: true } as GraphUser,
  ];
  const users = graphUsers.map((user) => graphUserToSource(user));
  const guests = new Set(graphUsers.filter(isGuestUser).map((user) => user.id));

  it('covers nulls, guests, disabled, non-ASCII, long values and no manager before filling with others', () => {
    const sample = chooseSample(users, ['givenName', 'surname'], 8, guests);
    const ids = sample.map(({ user }) => user.objectId);
    expect(ids).toEqual(expect.arrayContaining(['nosurname', 'guest', 'disabled', 'accent', 'long', 'nomanager']));
    expect(sample).toHaveLength(8);
    expect(sample.find(({ user }) => user.objectId === 'guest')!.reasons).toContain('a guest (#EXT# in the UPN)');
    expect(sample.filter(({ reasons }) => reasons.includes('fills the sample'))).toHaveLength(2);
  });

  it('keeps to the size asked for', () => {
    expect(chooseSample(users, ['givenName', 'surname'], 3, guests)).toHaveLength(3);
  });

  it('takes the users the admin names by UPN or object id, and names an unknown one', () => {
    expect(namedUsers(users, ['ZOE@contoso.com', 'disabled']).map(({ user }) => user.objectId)).toEqual(['accent', 'disabled']);
    expect(() => namedUsers(users, ['nobody@contoso.com'])).toThrow(UnknownUserError);
  });
});
